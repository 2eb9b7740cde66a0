import CGit2

/// Process-wide libgit2 set-up and error capture shared by the fetch code.
///
/// `git_libgit2_init()` runs exactly once, the first time ``ensureInitialized()`` is called
/// (Swift initializes a global `let` once, thread-safely); the library is never shut down, so
/// objects from it stay valid for the life of the process.
enum LibGit2 {
    private static let initialized: Bool = {
        git_libgit2_init()
        return true
    }()

    /// Initializes libgit2 if nothing has yet.
    static func ensureInitialized() {
        _ = initialized
    }

    /// The last libgit2 error on this thread, as a code and message.
    ///
    /// libgit2 keeps the last error per thread, so call this right after the failing call, on the
    /// same thread.
    static func lastError(code: Int32) -> (code: Int32, errorClass: Int32, message: String) {
        guard let error = git_error_last() else {
            return (code, 0, "libgit2 returned \(code) without a message")
        }
        return (code, error.pointee.klass, String(cString: error.pointee.message))
    }

    /// Runs a libgit2 call and throws a ``FetchError`` built from `git_error_last()` if it fails.
    /// - Parameters:
    ///   - repository: The repository or URL the call is about, for the message.
    ///   - call: The libgit2 call, returning its status code.
    /// - Throws: ``FetchError`` when the status is negative.
    static func check(_ repository: String, _ call: () -> Int32) throws {
        let status = call()
        if status < 0 { throw FetchError.classify(lastError(code: status), repository: repository) }
    }

    /// The lowercase hex form of an object id.
    static func hex(_ oid: UnsafePointer<git_oid>) -> String {
        // git_oid_tostr_s formats into a thread-local buffer, copied out at once.
        String(cString: git_oid_tostr_s(oid))
    }
}
