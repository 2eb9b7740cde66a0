#if canImport(Glibc)
import Glibc
#endif

extension Counterpart {
    /// The pids of the student's program itself: the processes whose executable is named
    /// `name` (the sandbox's wrappers are left out). Read from `/proc/PID/exe`, which a process
    /// cannot change without executing another program, so renaming threads hides nothing.
    public func programProcesses(named name: String = "program") -> [Int32] {
        processes().filter { pid in
            var buffer = [CChar](repeating: 0, count: 4096)
            let count = readlink("/proc/\(pid)/exe", &buffer, buffer.count - 1)
            guard count > 0 else { return false }
            let path = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return path.hasSuffix("/" + name) || path.hasSuffix("/" + name + " (deleted)")
        }
    }

    /// Sends `signal` to each of the program's processes (``programProcesses(named:)``) and
    /// returns how many it reached. The kernel hands a process-directed signal to one thread
    /// that does not block it; with the grader-owned `main`'s handler installed without
    /// `SA_RESTART`, the call that thread is blocked in returns `EINTR`.
    @discardableResult
    public func interrupt(with signal: Int32 = SIGUSR1) -> Int {
        programProcesses().filter { kill($0, signal) == 0 }.count
    }

    /// Stops every process of the program (SIGSTOP, which it cannot catch or ignore) so the peer
    /// can change shared state while the program provably does nothing; ``resume()`` lets it go
    /// on. Returns how many processes it stopped.
    @discardableResult
    public func pause() -> Int {
        programProcesses().filter { kill($0, SIGSTOP) == 0 }.count
    }

    /// Continues the processes ``pause()`` stopped (SIGCONT).
    public func resume() {
        for pid in programProcesses() { kill(pid, SIGCONT) }
    }
}
