#if canImport(Glibc)
import Glibc
#endif
import TurnstileRuntime

/// Turns a crash of the code under test (a trap, a stack overflow) into a readable report on
/// standard error: which logical thread crashed, the replay seed, and the last steps of the
/// schedule. The check still fails — a crash is never a pass — but the student sees why.
public enum CrashReporter {
    /// The seed that replays the execution in progress, set by the explorer's caller.
    nonisolated(unsafe) static var currentReplaySeed: UInt64?
    nonisolated(unsafe) static var currentCheck = ""
    /// Where the crash report goes: the grader's record pipe when there is one (so the report is
    /// the harness's, not text the code under test could have printed), else standard error.
    nonisolated(unsafe) static var reportDescriptor: Int32 = 2
    private nonisolated(unsafe) static var installed = false
    /// The first line of a crash report on the record pipe, never the start of a JSON record.
    public static let crashMarker = "crash-report\n"

    /// Installs handlers for SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE and SIGABRT on an
    /// alternate signal stack (so a stack overflow can still be reported).
    static func install() {
        #if canImport(Glibc)
        guard !installed else { return }
        installed = true
        let size = 256 * 1024
        var stack = stack_t()
        stack.ss_sp = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        stack.ss_size = size
        stack.ss_flags = 0
        sigaltstack(&stack, nil)
        for signal in [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE, SIGABRT] {
            var action = sigaction()
            action.__sigaction_handler.sa_sigaction = crashHandler
            action.sa_flags = SA_SIGINFO | SA_ONSTACK | Int32(bitPattern: UInt32(SA_RESETHAND))
            sigemptyset(&action.sa_mask)
            sigaction(signal, &action, nil)
        }
        #endif
    }
}

#if canImport(Glibc)
private let crashHandler: @convention(c) (Int32, UnsafeMutablePointer<siginfo_t>?, UnsafeMutableRawPointer?) -> Void = {
    signal, info, _ in
    let address = info.map { UnsafeRawPointer($0.pointee._sifields._sigfault.si_addr) } ?? nil
    let toGrader = CrashReporter.reportDescriptor != 2
    var text = (toGrader ? CrashReporter.crashMarker : "\n") + "check \(CrashReporter.currentCheck) crashed (signal \(signal))"
    if let description = ControlledScheduler.describeCrash(faultAddress: address) {
        text += "\n" + description
        if let seed = CrashReporter.currentReplaySeed {
            text += "\nReplay this exact schedule: turnstile test \(CrashReporter.currentCheck) --replay 0x\(String(seed, radix: 16))"
        }
    }
    text += "\n"
    _ = text.withCString { write(CrashReporter.reportDescriptor, $0, strlen($0)) }
    raise(signal)
}
#endif
