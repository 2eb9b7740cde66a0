import TurnstileRuntime

/// Reports a misuse of a primitive that cannot be recovered from (locking an ``OwnedMutex``
/// twice through `withLock`, an out-of-range thread index).
///
/// Under the controlled engine it ends the execution as a failed check with the caller's
/// location, so the exploration reports it with a trace; natively it stops the process with
/// the message, because going on would be undefined behaviour.
func reportMisuse(_ message: @autoclosure () -> String, file: StaticString, line: UInt) -> Never {
    let text = message()
    if Runtime.isControlled {
        ControlledScheduler.reportViolation(text, location: SourceLocation(file: file, line: line))
    }
    preconditionFailure(text, file: file, line: line)
}

/// Checks that `index` names one of `capacity` participants of an indexed lock.
@inline(__always)
func checkParticipant(_ index: Int, _ capacity: Int, _ type: String, file: StaticString, line: UInt) {
    if index < 0 || index >= capacity {
        reportMisuse(
            "\(type) was used with thread index \(index), but it was created for \(capacity) threads (indices 0..<\(capacity)): give every thread its own index",
            file: file, line: line)
    }
}
