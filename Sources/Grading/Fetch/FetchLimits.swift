import CGit2
import Foundation

/// How much one fetch may take: bytes received and seconds.
///
/// libgit2 1.5 has no server timeout, so both are enforced two ways: the transfer-progress
/// callback aborts a fetch past either limit while data flows, and
/// ``RepositoryFetcher/fetchWithLimits(repository:into:limits:)`` stops waiting for a fetch whose
/// server sends nothing at all (the callback is never called then): the batch moves on, and the
/// stuck thread is abandoned until the connection dies.
public struct FetchLimits: Sendable, Hashable {
    /// The most bytes one fetch may receive.
    public var maxBytes: Int
    /// The most seconds one fetch may take.
    public var seconds: Double

    /// Limits of `maxBytes` (default 64 MiB) and `seconds` (default 120).
    public init(maxBytes: Int = 64 << 20, seconds: Double = 120) {
        self.maxBytes = maxBytes
        self.seconds = seconds
    }
}

extension RepositoryFetcher {
    /// ``fetch(repository:into:limits:)`` on its own thread, waiting at most the time limit (plus
    /// a few seconds): a server that accepts and then sends nothing costs this student
    /// ``FetchError/timedOut(_:seconds:)``, never the batch.
    public func fetchWithLimits(repository: String, into mirror: URL, limits: FetchLimits, credentials: FetchCredentials = .none) throws {
        final class Outcome: @unchecked Sendable {
            // Safety: written once by the fetch thread before `done` is signalled, read after.
            var error: Error?
        }
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        let fetcher = self
        Thread.detachNewThread {
            do { try fetcher.fetch(repository: repository, into: mirror, limits: limits, credentials: credentials) } catch { outcome.error = error }
            done.signal()
        }
        guard done.wait(timeout: .now() + limits.seconds + 5) == .success else {
            throw FetchError.timedOut(FetchError.redacted(repository), seconds: Int(limits.seconds))
        }
        if let error = outcome.error { throw error }
    }
}
