import Foundation

/// Runs a trusted tool (the Swift build, never student code) with a wall-clock limit and
/// captured, capped output.
struct ToolRunner {
    struct Outcome {
        var status: Int32
        var timedOut: Bool
        var output: String
        var seconds: Double
    }

    /// Runs `executable` with `arguments`; output beyond `outputLimit` bytes is dropped.
    static func run(
        _ executable: String, _ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil,
        timeout: TimeInterval, outputLimit: Int = 1 << 20
    ) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("turnstile-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        let start = Date()
        try process.run()
        var timedOut = false
        if done.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            process.terminate()
            if done.wait(timeout: .now() + 5) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                done.wait()
            }
        }
        let data = (try? Data(contentsOf: log)) ?? Data()
        return Outcome(
            status: process.terminationStatus, timedOut: timedOut,
            output: String(decoding: data.prefix(outputLimit), as: UTF8.self), seconds: Date().timeIntervalSince(start))
    }

    /// The absolute path of `tool` on PATH, if any.
    static func which(_ tool: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
