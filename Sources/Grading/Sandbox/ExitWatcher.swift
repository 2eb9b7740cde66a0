import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Reaps one child with `wait4` on a thread of its own and announces the exit on a pipe, so the
/// caller can wait for "output ready, child exited or deadline" in a single `poll`.
///
/// Only this watcher ever waits for the child, so its status and resource usage are read once,
/// exactly; `wait4` retries on `EINTR`. The result is published under a `Mutex` before the byte
/// is written to the pipe, so a reader that saw the byte also sees the result.
final class ExitWatcher: Sendable {
    /// The raw wait status and resource usage of the exited child.
    struct Exit: Sendable {
        var status: Int32
        var usage: rusage
    }

    private let exit = Mutex<Exit?>(nil)
    /// Becomes readable once the child has been reaped.
    let readFD: Int32
    private let writeFD: Int32

    /// Starts watching `pid`, which must be a child of this process.
    init(pid: pid_t) throws {
        (readFD, writeFD) = try SpawnExtensions.closeOnExecPipe()
        let thread = Thread { [self] in self.reap(pid) }
        thread.name = "sandbox-reaper-\(pid)"
        thread.start()
    }

    private func reap(_ pid: pid_t) {
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0, errno == EINTR {}
        exit.withLock { $0 = Exit(status: status, usage: usage) }
        var byte: UInt8 = 1
        _ = write(writeFD, &byte, 1)
    }

    /// The exit, if the child has been reaped.
    var result: Exit? { exit.withLock { $0 } }

    /// Blocks until the child has been reaped and returns its exit.
    func waitForExit() -> Exit {
        while true {
            if let result { return result }
            var pollFD = pollfd(fd: readFD, events: Int16(POLLIN), revents: 0)
            _ = poll(&pollFD, 1, 100)
        }
    }

    deinit {
        close(readFD)
        close(writeFD)
    }
}

/// Decoding of a raw `wait` status (the C macros are not imported into Swift).
enum WaitStatus {
    /// The exit code if the process exited normally.
    static func exitCode(_ status: Int32) -> Int32? { status & 0x7f == 0 ? (status >> 8) & 0xff : nil }
    /// The signal number if a signal killed the process.
    static func signal(_ status: Int32) -> Int32? {
        let low = status & 0x7f
        return low != 0 && low != 0x7f ? low : nil
    }
}
