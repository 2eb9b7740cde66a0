/// What GNU `time` wrote about the program it ran: how it ended and what it used.
///
/// `time` forks the program and waits for it, so its figures cover the program and every
/// descendant it waited for, and its peak resident size is the program's own (a process started
/// with `posix_spawn` inherits its parent's peak in `ru_maxrss`, which is why the grader does not
/// use the figure `wait4` gives for its direct child). It also tells a death by signal apart from
/// an exit status above 128, which bubblewrap's status cannot.
struct ResourceReport: Equatable {
    /// The `-f` format given to `time`; the report line starts with a marker.
    static let format = "turnstile-stats %e %U %S %M"

    /// The signal that killed the program, if one did.
    var signal: Int32?
    /// User plus system CPU seconds.
    var cpuSeconds: Double
    /// Peak resident set size in bytes.
    var peakMemoryBytes: Int

    /// The `time` arguments that write a report to `path` and then run `command`.
    static func timeArguments(_ time: String, output path: String) -> [String] {
        [time, "-o", path, "-f", format, "--"]
    }

    /// Parses `time -o` output; nil if the report line is missing (the run was killed first).
    static func parse(_ text: String) -> ResourceReport? {
        var signal: Int32?
        for line in text.split(separator: "\n") {
            if line.hasPrefix("Command terminated by signal "), let number = Int32(line.split(separator: " ").last ?? "") {
                signal = number
            }
            let fields = line.split(separator: " ")
            guard fields.first == "turnstile-stats", fields.count == 5,
                let user = Double(fields[2]), let system = Double(fields[3]), let kibibytes = Int(fields[4])
            else { continue }
            return ResourceReport(signal: signal, cpuSeconds: user + system, peakMemoryBytes: kibibytes * 1024)
        }
        return nil
    }
}
