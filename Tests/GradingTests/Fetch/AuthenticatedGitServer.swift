import Foundation

/// A git smart-HTTP server on loopback that demands HTTP Basic credentials: `git http-backend`
/// behind a small Python server (test set-up only). Serves every bare repository under `root`
/// at `http://127.0.0.1:PORT/NAME.git` to a client presenting `username:password`, and answers
/// 401 to anyone else. Stop it with ``stop()``.
final class AuthenticatedGitServer {
    let port: Int
    private let process: Process
    private let script: URL

    static let source = #"""
        import base64, http.server, os, subprocess, sys

        root, username, password = sys.argv[1], sys.argv[2], sys.argv[3]
        expected = "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def body(self):
                if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                    data = b""
                    while True:
                        size = int(self.rfile.readline().strip(), 16)
                        if size == 0:
                            self.rfile.readline()
                            return data
                        data += self.rfile.read(size)
                        self.rfile.readline()
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def serve(self):
                data = self.body() if self.command == "POST" else b""
                if self.headers.get("Authorization") != expected:
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", 'Basic realm="course"')
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                path, _, query = self.path.partition("?")
                environment = dict(os.environ, GIT_PROJECT_ROOT=root, GIT_HTTP_EXPORT_ALL="1", PATH_INFO=path,
                                   QUERY_STRING=query, REQUEST_METHOD=self.command, REMOTE_USER=username,
                                   REMOTE_ADDR="127.0.0.1", CONTENT_TYPE=self.headers.get("Content-Type", ""),
                                   CONTENT_LENGTH=str(len(data)))
                result = subprocess.run(["git", "http-backend"], input=data, capture_output=True, env=environment)
                head, _, payload = result.stdout.partition(b"\r\n\r\n")
                status, headers = 200, []
                for line in head.decode().split("\r\n"):
                    name, _, value = line.partition(": ")
                    if name.lower() == "status":
                        status = int(value.split()[0])
                    elif name:
                        headers.append((name, value))
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = serve
            do_POST = serve

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """#

    /// Starts the server for the repositories under `root`; returns once it listens.
    init(root: URL, username: String, password: String) throws {
        script = root.appendingPathComponent("git-http-server.py")
        try Self.source.write(to: script, atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, root.path, username, password]
        let portFile = root.appendingPathComponent("port-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: portFile.path, contents: nil)
        let output = try FileHandle(forWritingTo: portFile)
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        try? output.close()
        var found: Int?
        for _ in 0..<200 {
            let text = (try? String(contentsOf: portFile, encoding: .utf8)) ?? ""
            if let number = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                found = number
                break
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        guard let found else {
            kill(process.processIdentifier, SIGKILL)
            throw FixtureError(message: "the test's git HTTP server did not start (is python3 installed?)")
        }
        port = found
    }

    /// The URL of the bare repository `name` (a directory `NAME.git` under the root).
    func url(_ name: String) -> String { "http://127.0.0.1:\(port)/\(name).git" }

    /// Kills the server. SIGKILL, not `terminate()`: a child started from a test's thread can
    /// inherit a signal mask that blocks SIGTERM.
    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
