import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A control group for one sandboxed run: memory for all its processes together (tmpfs pages
/// included), a process count, and CPU accounting. cgroup v2 where the machine has it (one
/// directory under `/sys/fs/cgroup`), v1 otherwise (one directory per controller).
///
/// The run enters it before any sandboxed code starts (``enterScript``: a constant shell script
/// writes its own pid into each `cgroup.procs`, then `exec`s the sandbox, so every descendant is
/// inside); ``finish()`` kills whatever is left and removes the group. Needs write access to the
/// cgroup file system (root): ``make(memoryBytes:maxProcesses:)`` returns nil otherwise, and
/// the rlimits alone apply.
final class RunCgroup {
    /// Where cgroups are mounted.
    static let root = "/sys/fs/cgroup"
    /// The shell script that enters the groups given as arguments up to `--`, then runs the rest.
    static let enterScript = "while [ \"$1\" != -- ]; do echo $$ > \"$1/cgroup.procs\" || exit 125; shift; done; shift; exec \"$@\""

    /// What the group measured.
    struct Usage {
        /// Whether the kernel killed a process for exceeding the memory limit.
        var oomKilled: Bool
        /// Whether the kernel's OOM killer killed a process of the group although the group
        /// never reached its own limit: the machine (or a parent group, such as a Slurm job's
        /// `--mem`) ran out of memory, not the run.
        var killedFromOutside = false
        /// Peak memory of the group in bytes, when the kernel reports it.
        var peakMemoryBytes: Int?
        /// CPU seconds used by all processes of the group.
        var cpuSeconds: Double?
    }

    /// The group directories (one for v2; memory, pids, cpuacct for v1).
    let directories: [String]
    private let isV2: Bool
    private let memory: String
    private let pids: String
    private let cpu: String?

    private init(directories: [String], isV2: Bool, memory: String, pids: String, cpu: String?) {
        self.directories = directories
        self.isV2 = isV2
        self.memory = memory
        self.pids = pids
        self.cpu = cpu
    }

    /// Whether this machine's cgroups are v2.
    static var unified: Bool { FileManager.default.fileExists(atPath: root + "/cgroup.controllers") }

    /// Creates a group limited to `memoryBytes` (no swap) and `maxProcesses`, or nil when
    /// cgroups cannot be written here.
    static func make(memoryBytes: Int, maxProcesses: Int) -> RunCgroup? {
        let name = "turnstile-\(UUID().uuidString.prefix(12).lowercased())"
        let group: RunCgroup
        if unified {
            // Controllers must be enabled for children of the root before a child can use them.
            _ = write("+memory +pids +cpu", to: root + "/cgroup.subtree_control")
            let directory = root + "/" + name
            guard mkdir(directory, 0o755) == 0 else { return nil }
            group = RunCgroup(directories: [directory], isV2: true, memory: directory, pids: directory, cpu: directory)
            guard write("\(memoryBytes)", to: directory + "/memory.max") else {
                group.remove()
                return nil
            }
            _ = write("0", to: directory + "/memory.swap.max")
            _ = write("\(maxProcesses)", to: directory + "/pids.max")
        } else {
            let base = ["memory", "pids"].map { "\(root)/\($0)" }
            guard base.allSatisfy({ access($0, W_OK) == 0 }) else { return nil }
            let memory = "\(root)/memory/\(name)"
            let pids = "\(root)/pids/\(name)"
            let cpuBase = ["cpuacct", "cpu,cpuacct"].map { "\(root)/\($0)" }.first { (path: String) in access(path, W_OK) == 0 }
            let cpu = cpuBase.map { "\($0)/\(name)" }
            var made: [String] = []
            for directory in [memory, pids] + (cpu.map { [$0] } ?? []) {
                guard mkdir(directory, 0o755) == 0 else {
                    made.forEach { rmdir($0) }
                    return nil
                }
                made.append(directory)
            }
            group = RunCgroup(directories: made, isV2: false, memory: memory, pids: pids, cpu: cpu)
            guard write("\(memoryBytes)", to: memory + "/memory.limit_in_bytes") else {
                group.remove()
                return nil
            }
            _ = write("\(memoryBytes)", to: memory + "/memory.memsw.limit_in_bytes")
            _ = write("\(maxProcesses)", to: pids + "/pids.max")
        }
        return group
    }

    /// Kills every process still in the group, reads what it measured, and removes it.
    func finish() -> Usage {
        killAll()
        let usage = measure()
        remove()
        return usage
    }

    /// SIGKILLs the group's processes until none is left (a process may fork while being killed).
    func killAll() {
        for _ in 0..<50 {
            let members = processes()
            if members.isEmpty { return }
            for pid in members { kill(pid, SIGKILL) }
            usleep(2_000)
        }
    }

    private func processes() -> [pid_t] {
        directories.flatMap { directory in
            (Self.read(directory + "/cgroup.procs") ?? "").split(whereSeparator: \.isNewline).compactMap { pid_t($0) }
        }
    }

    private func measure() -> Usage {
        if isV2 {
            let events = Self.read(memory + "/memory.events") ?? ""
            let peak = Self.number(at: memory + "/memory.peak")
            let usec = Self.field("usage_usec", in: Self.read(memory + "/cpu.stat") ?? "")
            // `oom_kill` counts kills by any OOM killer; `max` and `oom`, the times this group's
            // own limit was reached (and then with nothing left to reclaim).
            let limit = Self.number(at: memory + "/memory.max")
            let reached = (Self.field("max", in: events) ?? 0) + (Self.field("oom", in: events) ?? 0)
                + (Self.nearLimit(peak: peak, limit: limit) ? 1 : 0)
            let kills = Self.oomKills(killed: Self.field("oom_kill", in: events), limitReached: reached)
            return Usage(
                oomKilled: kills.atLimit, killedFromOutside: kills.fromOutside, peakMemoryBytes: peak,
                cpuSeconds: usec.map { Double($0) / 1e6 })
        }
        let control = Self.read(memory + "/memory.oom_control") ?? ""
        let peak = Self.number(at: memory + "/memory.max_usage_in_bytes")
        // The limit is set on memory and on memory+swap alike. The failure counters do not
        // always count a group that reaches it (seen here: both 0 after an OOM kill at the
        // limit, the peak exactly the limit), so the peak decides too.
        let failures = (Self.number(at: memory + "/memory.failcnt") ?? 0) + (Self.number(at: memory + "/memory.memsw.failcnt") ?? 0)
            + (Self.nearLimit(peak: peak, limit: Self.number(at: memory + "/memory.limit_in_bytes")) ? 1 : 0)
        let oomKills = Self.field("oom_kill", in: control)
        let nanoseconds = cpu.flatMap { Self.number(at: $0 + "/cpuacct.usage") }
        // `oom_kill` (kernels since 4.13) counts kills by any OOM killer; the rest, whether the
        // group's usage reached its own limit.
        let kills = Self.oomKills(killed: oomKills, limitReached: failures)
        return Usage(
            oomKilled: kills.atLimit, killedFromOutside: kills.fromOutside, peakMemoryBytes: peak,
            cpuSeconds: nanoseconds.map { Double($0) / 1e9 })
    }

    private func remove() {
        for directory in directories.reversed() {
            for _ in 0..<50 where rmdir(directory) != 0 && errno == EBUSY { usleep(2_000) }
        }
    }

    /// Whose an OOM kill in the group was: the run's, when the group reached its own limit
    /// (`limitReached` > 0); the machine's, when a process was killed (`killed` > 0) but the
    /// group never reached it. Without a kill counter (old kernels), reaching the limit is
    /// taken as the run's kill, as before.
    static func oomKills(killed: Int?, limitReached: Int) -> (atLimit: Bool, fromOutside: Bool) {
        guard let killed else { return (limitReached > 0, false) }
        return (killed > 0 && limitReached > 0, killed > 0 && limitReached == 0)
    }

    /// Whether a group's peak memory came within 1/32 of its limit: the group reached it (the
    /// kernel reclaims or kills at the limit, so a peak is never far below it when it did).
    static func nearLimit(peak: Int?, limit: Int?) -> Bool {
        guard let peak, let limit, limit > 0 else { return false }
        return peak >= limit - limit / 32
    }

    /// The one number a single-value cgroup file holds; nil when it is missing or not a number
    /// (v2's `max`).
    static func number(at path: String) -> Int? {
        read(path).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// `key N` from a flat-keyed cgroup file.
    static func field(_ key: String, in text: String) -> Int? {
        for line in text.split(whereSeparator: \.isNewline) {
            let words = line.split(separator: " ")
            if words.count == 2, words[0] == key { return Int(words[1]) }
        }
        return nil
    }

    static func read(_ path: String) -> String? {
        try? String(contentsOfFile: path, encoding: .utf8)
    }

    @discardableResult
    static func write(_ text: String, to path: String) -> Bool {
        let fd = open(path, O_WRONLY)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return text.withCString { Glibc.write(fd, $0, strlen($0)) } >= 0
    }
}
