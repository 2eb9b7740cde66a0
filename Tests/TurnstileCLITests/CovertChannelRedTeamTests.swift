import Foundation
import Gradebook
import Grading
import Testing

/// The covert-channel assignment graded end to end in the sandbox against submissions that try
/// to pass without the channel the assignment is about: the sender hands the secret over through
/// every other way two processes on one machine could share (files in `/tmp`, `/dev/shm`, the
/// working directory and `/var/tmp`, an abstract Unix socket, signals to every pid, other
/// processes' `/proc` entries, file locks on the system files both sandboxes see), or breaks the
/// lock service (garbage requests, holding every lock and going to sleep). Each sandboxed
/// instance has its own file system, network and pid namespaces, and may not lock or watch
/// files (the sandbox's syscall filter), so none of it gets through: every such submission decodes nothing, scores 0, and
/// each of its checks ends *failed* with what went wrong (never the grader's error or
/// incomplete). The solution and the correct alternative keep 100.
@Suite(.serialized)
struct CovertChannelRedTeamTests {
    static let assignment = "covert-channel"
    static let senderFile = "Sources/CovertChannel/CovertSender.swift"
    static let receiverFile = "Sources/CovertChannel/CovertReceiver.swift"

    /// A sender running `send` and a receiver running `receive` (each a body with `bits` or
    /// `count` and `service` in scope), with a few helpers both may use.
    static func variant(send: String, receive: String) -> [String: String] {
        [
            senderFile: """
            import Glibc

            public enum CovertSender {
                static let places = ["/tmp/covert-secret", "/dev/shm/covert-secret", "/var/tmp/covert-secret", "covert-secret"]
                public static func send(_ bits: [Bool], over service: LockClient) throws {
                    let text = String(bits.map { $0 ? "1" : "0" })
            \(send)
                }
            }

            """,
            receiverFile: """
            import Glibc

            public enum CovertReceiver {
                static let places = ["/tmp/covert-secret", "/dev/shm/covert-secret", "/var/tmp/covert-secret", "covert-secret"]
                static func readFile(_ path: String) -> String? {
                    guard let file = fopen(path, "r") else { return nil }
                    defer { fclose(file) }
                    var buffer = [CChar](repeating: 0, count: 8_192)
                    guard fgets(&buffer, Int32(buffer.count), file) != nil else { return nil }
                    return String(cString: buffer)
                }
                static func bits(_ text: String?, _ count: Int) -> [Bool] {
                    guard let text, text.count == count else { return Array(repeating: false, count: count) }
                    return text.map { $0 == "1" }
                }
                public static func receive(count: Int, over service: LockClient) throws -> [Bool] {
            \(receive)
                }
            }

            """,
        ]
    }

    /// What both ends of the file-locks attack share: the three shared files, a probe of whether
    /// the other side holds one (nil once the sandbox refuses `flock`), and a wait for it paced by
    /// harmless queries to the service.
    static let fileLockHandshake = """
                        let data = open("/usr/bin/env", O_RDONLY), ready = open("/usr/bin/true", O_RDONLY), ack = open("/usr/bin/false", O_RDONLY)
                        func held(_ fd: Int32) -> Bool? {
                            if flock(fd, LOCK_EX | LOCK_NB) == 0 { _ = flock(fd, LOCK_UN); return false }
                            return errno == EWOULDBLOCK ? true : nil
                        }
                        func awaitLock(_ fd: Int32, held wanted: Bool) throws -> Bool {
                            for _ in 0..<2_000 {
                                guard let now = held(fd) else { return false }
                                if now == wanted { return true }
                                _ = try service.isHeldByOther(3)
                            }
                            return false
                        }

        """

    static let attacks: [String: [String: String]] = [
        // Files wherever a process may write: each instance's /tmp, /dev/shm and working
        // directory are its own, and the rest of the file system is read-only.
        "files": variant(
            send: """
                        for place in places {
                            if let file = fopen(place, "w") { fputs(text, file); fclose(file) }
                        }
                """,
            receive: """
                        for _ in 0..<30 {
                            for place in places { if let text = readFile(place) { return bits(text, count) } }
                            usleep(10_000)
                        }
                        return bits(nil, count)
                """),
        // An abstract Unix socket: a name outside the file system, per network namespace.
        "abstract-socket": variant(
            send: """
                        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
                        var address = sockaddr_un()
                        address.sun_family = sa_family_t(AF_UNIX)
                        withUnsafeMutableBytes(of: &address.sun_path) { raw in
                            for (index, byte) in "covert-secret".utf8.enumerated() { raw[index + 1] = byte }
                        }
                        let length = socklen_t(MemoryLayout<sa_family_t>.size + 1 + 13)
                        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
                        guard bound == 0, listen(fd, 1) == 0 else { return }
                        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                        guard poll(&descriptor, 1, 300) > 0 else { return }
                        let client = accept(fd, nil, nil)
                        _ = write(client, text, text.utf8.count)
                        close(client)
                """,
            receive: """
                        for _ in 0..<30 {
                            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
                            var address = sockaddr_un()
                            address.sun_family = sa_family_t(AF_UNIX)
                            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                                for (index, byte) in "covert-secret".utf8.enumerated() { raw[index + 1] = byte }
                            }
                            let length = socklen_t(MemoryLayout<sa_family_t>.size + 1 + 13)
                            let connected = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, length) } }
                            if connected == 0 {
                                var buffer = [UInt8](repeating: 0, count: 4_096)
                                let got = read(fd, &buffer, buffer.count)
                                close(fd)
                                return bits(got > 0 ? String(decoding: buffer[0..<got], as: UTF8.self) : nil, count)
                            }
                            close(fd)
                            usleep(10_000)
                        }
                        return bits(nil, count)
                """),
        // Signals to every pid, and the command lines and environments of every process seen.
        "signals-and-proc": variant(
            send: """
                        for pid in Int32(2)..<4_096 where pid != getpid() {
                            for bit in bits.prefix(8) { _ = kill(pid, bit ? SIGUSR1 : SIGUSR2) }
                        }
                """,
            receive: """
                        var seen = 0
                        if let directory = opendir("/proc") {
                            while let entry = readdir(directory) {
                                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                                guard Int32(name) != nil else { continue }
                                if readFile("/proc/\\(name)/cmdline") != nil { seen += 1 }
                                _ = readFile("/proc/\\(name)/environ")
                            }
                            closedir(directory)
                        }
                        return bits(nil, count)
                """),
        // Requests the service does not know: a protocol violation, not the grader's error.
        "garbage-requests": variant(
            send: """
                        // Past LockClient: junk on every descriptor but the bootstrap socket.
                        for fd in Int32(3)..<64 where fd != 5 { _ = write(fd, "ZZZZ", 4) }
                """,
            receive: """
                        return bits(nil, count)
                """),
        // File locks on files both sandboxes see (the read-only system files are the same
        // inodes in both): a four-phase handshake on /usr/bin/env (the bit), /usr/bin/true
        // (ready) and /usr/bin/false (acknowledged), paced by harmless queries to the service
        // so that it keeps serving. The sandbox refuses file locks (and leases, directory and
        // inotify notifications) with EPERM, so both ends give up at the first attempt.
        "file-locks": variant(
            send: fileLockHandshake + """
                        for bit in bits {
                            if bit { guard flock(data, LOCK_EX) == 0 else { return } }
                            guard flock(ready, LOCK_EX) == 0, try awaitLock(ack, held: true) else { return }
                            if bit { _ = flock(data, LOCK_UN) }
                            _ = flock(ready, LOCK_UN)
                            guard try awaitLock(ack, held: false) else { return }
                        }
                """,
            receive: fileLockHandshake + """
                        var received: [Bool] = []
                        for _ in 0..<count {
                            guard try awaitLock(ready, held: true), let bit = held(data), flock(ack, LOCK_EX) == 0 else { return bits(nil, count) }
                            received.append(bit)
                            guard try awaitLock(ready, held: false) else { return bits(nil, count) }
                            _ = flock(ack, LOCK_UN)
                        }
                        return received
                """),
        // The public check's fixed secret printed without listening: graded, the public check
        // sends a second secret drawn from a seed only the hidden checks hold.
        "prints-public-secret": variant(
            send: """
                        _ = text
                """,
            receive: """
                        if count == 16 { return "1011001011100001".map { $0 == "1" } }
                        return bits(nil, count)
                """),
        // Every lock held, then asleep: the receiver waits in lock 0 for ever.
        "hold-everything": variant(
            send: """
                        for lock in 0..<4 { try service.lock(lock) }
                        sleep(600)
                """,
            receive: """
                        try service.lock(0)
                        return bits(nil, count)
                """),
    ]

    /// Scaffolds one student repository per variant (each file of it written over the
    /// scaffold's), commits each before the deadline, grades them in the sandbox, returns the
    /// gradebook.
    static func grade(_ variants: [String: [String: String]], in fixture: CourseFixture) throws -> GradebookStore {
        let course = ["--course", fixture.course.root.path]
        let deadline = Date().addingTimeInterval(-3_600)
        var roster = "student_id,name,repository\n"
        for (name, files) in variants.sorted(by: { $0.key < $1.key }) {
            let directory = fixture.path("students/\(name)")
            try ProcessRedTeamTests.run(["init", assignment, directory.path] + course)
            for (file, source) in files {
                try source.write(to: directory.appendingPathComponent(file), atomically: true, encoding: .utf8)
            }
            try LocalRepository(directory: directory).commitAll(message: name, date: deadline.addingTimeInterval(-600))
            roster += "\(name),Student \(name),\(directory.path)\n"
        }
        try roster.write(to: fixture.path("roster.csv"), atomically: true, encoding: .utf8)
        let database = fixture.path("gradebook.sqlite").path
        try ProcessRedTeamTests.run([
            "grade", assignment, "--roster", fixture.path("roster.csv").path, "--db", database, "--cache", fixture.path("cache").path,
            "--jobs", "1",
        ] + course)
        return try GradebookStore(path: database)
    }

    @Test func nothingButTheLockServiceCarriesTheSecret() throws {
        let fixture = try CourseFixture()
        let manifest = try AssignmentCatalog(layout: fixture.course).manifest(Self.assignment)
        func files(under directory: String) throws -> [String: String] {
            try Dictionary(uniqueKeysWithValues: [Self.senderFile, Self.receiverFile, "Sources/CovertChannel/LockServer.swift"].map { file in
                (file, try String(contentsOf: fixture.course.path(directory).appendingPathComponent(file), encoding: .utf8))
            })
        }
        var variants = Self.attacks
        variants["control"] = try files(under: manifest.solutionDirectory)
        variants["two-wire"] = try files(under: "\(manifest.alternativesDirectory!)/two-wire")
        variants["thread-per-client"] = try files(under: "\(manifest.alternativesDirectory!)/thread-per-client")
        let store = try Self.grade(variants, in: fixture)
        func submission(_ id: String) throws -> SubmissionRecord {
            try #require(try store.submissionDetail(studentID: id, assignmentID: Self.assignment), "\(id) was not graded").submission
        }
        for control in ["control", "two-wire", "thread-per-client"] {
            let graded = try submission(control)
            #expect(graded.status == .graded && graded.score == manifest.maxScore,
                    "\(control): \(graded.status) \(graded.score) \(graded.checks.filter { $0.outcome != .passed }.map { "\($0.checkID): \($0.message)" })")
        }
        for name in Self.attacks.keys.sorted() {
            let attack = try submission(name)
            #expect(attack.status == .graded, "\(name): \(attack.status) \(attack.statusDetail)")
            #expect(attack.score == 0, "\(name) scored \(attack.score): something other than the lock service carried the secret")
            for check in attack.checks {
                #expect(check.outcome == .failed, "\(name): \(check.checkID) is \(check.outcome.rawValue): \(check.message)")
            }
        }
        // The service's own failures name what the program did.
        // (Part 2's checks, which run the template's server in these submissions, aside.)
        let channelChecks = Set(manifest.checks.filter { $0.programs == 2 }.map(\.id))
        let garbage = try submission("garbage-requests").checks.filter { channelChecks.contains($0.checkID) }
        #expect(garbage.count == channelChecks.count && garbage.allSatisfy { $0.message.contains("request bytes") }, "\(garbage.map(\.message))")
        let holder = try submission("hold-everything").checks.filter { channelChecks.contains($0.checkID) }
        #expect(holder.count == channelChecks.count && holder.allSatisfy { $0.message.contains("your sender stopped making requests") }, "\(holder.map(\.message))")
    }
}
