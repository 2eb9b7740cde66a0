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

/// The state the transfer-progress callback checks, passed to it as its payload.
final class FetchBudget {
    let limits: FetchLimits
    let repository: String
    let start = Date()
    var exceeded: FetchError?

    init(limits: FetchLimits, repository: String) {
        self.limits = limits
        self.repository = repository
    }

    /// Installs the callback on `options`; `self` must outlive the fetch.
    func install(on options: inout git_fetch_options) {
        options.callbacks.payload = Unmanaged.passUnretained(self).toOpaque()
        options.callbacks.transfer_progress = { stats, payload in
            guard let stats, let payload else { return 0 }
            let budget = Unmanaged<FetchBudget>.fromOpaque(payload).takeUnretainedValue()
            if Int(stats.pointee.received_bytes) > budget.limits.maxBytes {
                budget.exceeded = .tooLarge(budget.repository, limitBytes: budget.limits.maxBytes)
                return -1
            }
            if Date().timeIntervalSince(budget.start) > budget.limits.seconds {
                budget.exceeded = .timedOut(budget.repository, seconds: Int(budget.limits.seconds))
                return -1
            }
            return 0
        }
    }
}

extension RepositoryFetcher {
    /// ``fetch(repository:into:limits:)`` on its own thread, waiting at most the time limit (plus
    /// a few seconds): a server that accepts and then sends nothing costs this student
    /// ``FetchError/timedOut(_:seconds:)``, never the batch.
    public func fetchWithLimits(repository: String, into mirror: URL, limits: FetchLimits) throws {
        final class Outcome: @unchecked Sendable {
            // Safety: written once by the fetch thread before `done` is signalled, read after.
            var error: Error?
        }
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        let fetcher = self
        Thread.detachNewThread {
            do { try fetcher.fetch(repository: repository, into: mirror, limits: limits) } catch { outcome.error = error }
            done.signal()
        }
        guard done.wait(timeout: .now() + limits.seconds + 5) == .success else {
            throw FetchError.timedOut(repository, seconds: Int(limits.seconds))
        }
        if let error = outcome.error { throw error }
    }
}
