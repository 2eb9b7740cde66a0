import Foundation

/// Where the programs the sandbox is built from live on this machine: `bwrap` (package
/// `bubblewrap`), `setpriv` and `prlimit` (package `util-linux`) and, optionally, GNU `time`
/// (package `time`).
struct SandboxTools: Sendable {
    var bubblewrap: String
    var setpriv: String
    var prlimit: String
    /// GNU `time` (package `time`), used for CPU and peak-memory figures when present.
    var time: String?

    /// Finds all three tools, or says which is missing.
    static func locateAll() -> Result<SandboxTools, SandboxError> {
        guard let bubblewrap = locate("bwrap") else {
            return .failure(.unavailable(.missingBubblewrap(install: "sudo apt-get install -y bubblewrap")))
        }
        guard let setpriv = locate("setpriv") else {
            return .failure(.unavailable(.missingTool(name: "setpriv", install: "sudo apt-get install -y util-linux")))
        }
        guard let prlimit = locate("prlimit") else {
            return .failure(.unavailable(.missingTool(name: "prlimit", install: "sudo apt-get install -y util-linux")))
        }
        return .success(SandboxTools(bubblewrap: bubblewrap, setpriv: setpriv, prlimit: prlimit, time: locate("time")))
    }

    /// Finds an executable in the usual system directories, then in `PATH`.
    ///
    /// System directories come first so a `PATH` entry writable by someone else cannot put its
    /// own `bwrap` in front.
    static func locate(_ name: String) -> String? {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
            .map(String.init).filter { $0.hasPrefix("/") }
        return (["/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin"] + path)
            .map { $0 + "/" + name }
            .first { access($0, X_OK) == 0 }
    }

    /// The directory of the Swift runtime libraries (`libswiftCore.so`, Foundation) of the
    /// toolchain on PATH, which a Swift program built by it loads at run time; nil when there
    /// is no toolchain.
    static let swiftRuntimeLibraries: String? = {
        guard let swift = locate("swift") ?? locate("swiftc") else { return nil }
        let resolved = URL(fileURLWithPath: swift).resolvingSymlinksInPath()
        let libraries = resolved.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("lib/swift/linux").path
        return FileManager.default.fileExists(atPath: libraries) ? libraries : nil
    }()

    /// The toolchain's root (the directory holding `usr/bin/swift`), for a build in the sandbox.
    static let swiftToolchainRoot: String? = {
        guard let swift = locate("swift") else { return nil }
        let bin = URL(fileURLWithPath: swift).resolvingSymlinksInPath().deletingLastPathComponent()
        return bin.deletingLastPathComponent().deletingLastPathComponent().path
    }()
}
