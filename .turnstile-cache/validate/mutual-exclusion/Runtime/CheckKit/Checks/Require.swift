#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TurnstileRuntime

/// States an invariant a check expects of the code under test.
///
/// Under the controlled engine a false condition ends the execution at once as an
/// `assertion` failure, with the trace up to this point. Under the native engine it is logged
/// (thread-safe) and the check fails when the run ends.
public func require(
    _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
    file: StaticString = #fileID, line: UInt = #line
) {
    guard !condition() else { return }
    let location = SourceLocation(file: file, line: line)
    if Runtime.isControlled {
        ControlledScheduler.reportViolation(message(), location: location)
    } else {
        NativeFailureLog.shared.record("\(message()) (\(location))")
    }
}

/// Failures that `require` saw under the native engine.
final class NativeFailureLog: @unchecked Sendable {
    // Safety: every access holds `mutex`.
    static let shared = NativeFailureLog()
    private var mutex = pthread_mutex_t()
    private var messages: [String] = []

    private init() { pthread_mutex_init(&mutex, nil) }

    func record(_ message: String) {
        pthread_mutex_lock(&mutex)
        if messages.count < 20 { messages.append(message) }
        pthread_mutex_unlock(&mutex)
    }

    /// Returns and clears the failures recorded so far.
    func drain() -> [String] {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        let taken = messages
        messages = []
        return taken
    }
}
