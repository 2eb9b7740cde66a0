#if canImport(Glibc)
import Glibc
#endif

/// The student's program as the grader's peer sees it from outside: every process descended
/// from the one the grader started (the sandbox's wrappers included, whose share is constant),
/// read from `/proc`, never from anything the program says about itself.
///
/// - ``cpuSeconds()``: user + system CPU time of all those processes (all their threads).
/// - ``openDescriptors()``: how many descriptors they hold together (a leak check compares two
///   readings).
/// - ``isAsleep()``: whether every thread is blocked in the kernel (sleeping, stopped, or
///   exited), so nothing the program does can change until something wakes it: the process
///   counterpart of the controlled engine's quiescence. A thread that is runnable but gets no
///   processor (a loaded machine) is *not* asleep, so a verdict built on this does not depend on
///   the load.
///
/// Reading `/proc/PID` of a process in another user's sandbox needs the grader's privileges
/// (root when grading); locally the program runs as the student, so it is readable.
/// Thread-safe: every call reads `/proc` afresh.
public struct Counterpart: Sendable {
    /// The process the grader started (the sandbox's outermost process).
    public let rootPID: Int32

    /// The counterpart rooted at `rootPID`.
    public init(rootPID: Int32) {
        self.rootPID = rootPID
    }

    /// The host directory that is the program's `/dev/shm` (`--shared-directory PATH`): where a
    /// POSIX shared-memory object or named semaphore the program creates appears to the peer
    /// (as `PATH/NAME` for `shm_open("/NAME")`, `PATH/sem.NAME` for `sem_open("/NAME")`). The
    /// grader gives each run an empty one of its own when the program is sandboxed, and
    /// `/dev/shm` itself when it is not. Nil if the peer was not told.
    public var sharedDirectory: String?

    /// The root's pid and the shared directory from the peer's command line
    /// (`--counterpart-pid N [--shared-directory PATH]`), if the pid is given.
    public static func fromArguments(_ arguments: [String]) -> Counterpart? {
        parse(arguments, pidOption: "--counterpart-pid", directoryOption: "--shared-directory")
    }

    /// The second instance of the program, for a check that drives two
    /// (`--second-counterpart-pid N [--second-shared-directory PATH]`); its bootstrap socket is
    /// the peer's ``CounterpartRole/secondBootstrapDescriptor``. Nil if there is none.
    public static func secondFromArguments(_ arguments: [String]) -> Counterpart? {
        parse(arguments, pidOption: "--second-counterpart-pid", directoryOption: "--second-shared-directory")
    }

    private static func parse(_ arguments: [String], pidOption: String, directoryOption: String) -> Counterpart? {
        guard let index = arguments.firstIndex(of: pidOption), index + 1 < arguments.count,
            let pid = Int32(arguments[index + 1]), pid > 0
        else { return nil }
        var counterpart = Counterpart(rootPID: pid)
        if let index = arguments.firstIndex(of: directoryOption), index + 1 < arguments.count {
            counterpart.sharedDirectory = arguments[index + 1]
        }
        return counterpart
    }

    /// The names of the entries in ``sharedDirectory`` (shared-memory objects as `NAME`, named
    /// semaphores as `sem.NAME`), or none if the peer was not told the directory.
    public func sharedObjects() -> [String] {
        sharedDirectory.map { Self.entries(of: $0) } ?? []
    }

    /// The root and all its living descendants.
    public func processes() -> [Int32] {
        var found: [Int32] = []
        var pending = [rootPID]
        while let pid = pending.popLast() {
            guard Self.exists(pid), !found.contains(pid) else { continue }
            found.append(pid)
            for task in Self.tasks(of: pid) {
                let children = Self.read("/proc/\(pid)/task/\(task)/children") ?? ""
                pending += children.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Int32($0) }
            }
        }
        return found
    }

    /// Whether the root process still exists.
    public var isAlive: Bool { Self.exists(rootPID) && Self.state(ofStat: Self.read("/proc/\(rootPID)/stat")) != "Z" }

    /// CPU seconds (user + system) used so far by every process of the counterpart.
    public func cpuSeconds() -> Double {
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        return processes().reduce(0) { total, pid in
            guard let fields = Self.fieldsAfterName(Self.read("/proc/\(pid)/stat")), fields.count > 12,
                let user = Double(fields[11]), let system = Double(fields[12])
            else { return total }
            return total + (user + system) / ticks
        }
    }

    /// Open descriptors held by every process of the counterpart together.
    public func openDescriptors() -> Int {
        processes().reduce(0) { total, pid in total + Self.entries(of: "/proc/\(pid)/fd").count }
    }

    /// Whether every thread of every process is blocked in the kernel, stopped, or gone.
    public func isAsleep() -> Bool {
        for pid in processes() {
            for task in Self.tasks(of: pid) {
                guard let state = Self.state(ofStat: Self.read("/proc/\(pid)/task/\(task)/stat")) else { continue }
                if state == "R" { return false }
            }
        }
        return true
    }

    // MARK: /proc

    static func exists(_ pid: Int32) -> Bool { access("/proc/\(pid)/stat", F_OK) == 0 }

    static func tasks(of pid: Int32) -> [Int32] {
        entries(of: "/proc/\(pid)/task").compactMap { Int32($0) }
    }

    /// The fields of a `stat` line after `(name)`, starting with the state.
    static func fieldsAfterName(_ stat: String?) -> [Substring]? {
        guard let stat, let close = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(after: close)...].split(separator: " ")
    }

    static func state(ofStat stat: String?) -> Character? {
        fieldsAfterName(stat)?.first?.first
    }

    static func entries(of directory: String) -> [String] {
        guard let handle = opendir(directory) else { return [] }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    static func read(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
