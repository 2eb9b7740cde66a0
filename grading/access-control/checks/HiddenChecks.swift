import AssignmentContract
import CheckKit
import TurnstileRuntime

/// The hidden checks: each plays an attacker against the student's monitor or authority, and
/// each also takes the honest path next to its attack, so code that refuses everything passes
/// none. Sequential checks run once under the engine; the concurrent one under PCT with a fixed
/// seed, so a regrade gives the same result.
final class HiddenAccessControlChecks: AccessControlChecks {
    static let observing: [OperationUnderTest] = OperationUnderTest.allCases.filter(\.observes)
    static let alteringOnly: [OperationUnderTest] = OperationUnderTest.allCases.filter { $0.alters && !$0.observes }

    /// Reading up, by level and by category, with every operation that observes.
    func noReadUp() {
        let monitor = Submission.makeMonitor()
        monitor.register(subject: "clerk", label: LabelUnderTest(1))
        monitor.register(subject: "agent", label: LabelUnderTest(3, ["army"]))
        monitor.register(subject: "officer", label: LabelUnderTest(2, ["army", "navy"]))
        monitor.register(object: "orders", label: LabelUnderTest(2))
        monitor.register(object: "fleet", label: LabelUnderTest(1, ["navy"]))
        monitor.register(object: "barracks", label: LabelUnderTest(2, ["army"]))
        for operation in Self.observing {
            expectDenied(monitor, "clerk", operation, "orders", attack: "read up by level (\(operation.rawValue)): a level-1 subject observed a level-2 object")
            expectDenied(monitor, "agent", operation, "fleet", attack: "read up by category (\(operation.rawValue)): a level-3 {army} subject observed a level-1 {navy} object, whose category it lacks")
        }
        expectAllowed(monitor, "officer", .read, "barracks", "level 2 {army,navy} reading level 2 {army}")
        expectAllowed(monitor, "officer", .read, "fleet", "level 2 {army,navy} reading level 1 {navy}")
        expectAllowed(monitor, "agent", .read, "barracks", "level 3 {army} reading level 2 {army}")
    }

    /// Writing down, by level and by category, with every operation that alters; operations
    /// that both observe and alter need equal labels.
    func noWriteDown() {
        let monitor = Submission.makeMonitor()
        monitor.register(subject: "general", label: LabelUnderTest(3))
        monitor.register(subject: "officer", label: LabelUnderTest(2, ["army", "navy"]))
        monitor.register(object: "bulletin", label: LabelUnderTest(1))
        monitor.register(object: "barracks", label: LabelUnderTest(2, ["army"]))
        monitor.register(object: "vault", label: LabelUnderTest(3, ["army", "navy"]))
        monitor.register(object: "staff", label: LabelUnderTest(2, ["army", "navy"]))
        for operation in Self.alteringOnly {
            expectDenied(monitor, "general", operation, "bulletin", attack: "write down by level (\(operation.rawValue)): a level-3 subject altered a level-1 object")
            expectDenied(monitor, "officer", operation, "barracks", attack: "write down by category (\(operation.rawValue)): a {army,navy} subject altered an {army} object, which would leak navy data to it")
            expectAllowed(monitor, "officer", operation, "vault", "\(operation.rawValue) up from level 2 {army,navy} to level 3 {army,navy}")
        }
        for operation in OperationUnderTest.allCases where operation.observes && operation.alters {
            expectAllowed(monitor, "officer", operation, "staff", "\(operation.rawValue) at the subject's own label")
            expectDenied(monitor, "officer", operation, "vault", attack: "\(operation.rawValue) observes and alters, so it needs equal labels; level 2 did it on level 3 (read up)")
            expectDenied(monitor, "officer", operation, "barracks", attack: "\(operation.rawValue) observes and alters, so it needs equal labels; {army,navy} did it on {army} (write down)")
        }
    }

    /// Nobody and nothing unknown gets anything.
    func defaultDeny() {
        let monitor = Submission.makeMonitor()
        monitor.register(subject: "user", label: LabelUnderTest(1))
        monitor.register(subject: "leaver", label: LabelUnderTest(1))
        monitor.register(object: "inbox", label: LabelUnderTest(1))
        monitor.register(object: "old", label: LabelUnderTest(1))
        expectAllowed(monitor, "leaver", .read, "old", "a registered subject reading a registered object at its label")
        monitor.unregister(subject: "leaver")
        monitor.unregister(object: "old")
        for operation in OperationUnderTest.allCases {
            expectDenied(monitor, "stranger", operation, "inbox", attack: "default deny: a subject never registered was allowed to \(operation.rawValue)")
            expectDenied(monitor, "user", operation, "nowhere", attack: "default deny: an object never registered was open to \(operation.rawValue)")
            expectDenied(monitor, "leaver", operation, "inbox", attack: "default deny: a subject unregistered earlier kept \(operation.rawValue)")
            expectDenied(monitor, "user", operation, "old", attack: "default deny: an object unregistered earlier was still open to \(operation.rawValue)")
            expectAllowed(monitor, "user", operation, "inbox", "\(operation.rawValue) at equal labels")
        }
    }

    /// A handle grants nothing by itself: relabelling or unregistering takes effect on it.
    func everyUseChecked() {
        let monitor = Submission.makeMonitor()
        monitor.register(subject: "reader", label: LabelUnderTest(2))
        monitor.register(object: "log", label: LabelUnderTest(2))
        let handle: any HandleUnderTest
        switch monitor.open(subject: "reader", object: "log", for: .read) {
        case .success(let opened): handle = opened
        case .failure(let refused):
            CheckFail("opening a level-2 object for read as a level-2 subject was denied (\(refused.denial))")
            return
        }
        func use(_ operation: OperationUnderTest, allowed: Bool, _ situation: String) {
            let denial = handle.perform(operation)
            if allowed {
                CheckAssert(denial == nil, "\(situation): \(operation.rawValue) through the open handle was denied (\(denial.map(String.init(describing:)) ?? ""))")
            } else {
                CheckAssert(denial != nil, "access kept after a change (checked at open only): \(situation), yet \(operation.rawValue) through a handle opened earlier was allowed")
            }
        }
        use(.read, allowed: true, "right after opening")
        monitor.register(object: "log", label: LabelUnderTest(3))
        use(.read, allowed: false, "the object was relabelled up to level 3")
        monitor.register(object: "log", label: LabelUnderTest(2))
        use(.read, allowed: true, "the object was relabelled back to level 2")
        monitor.register(subject: "reader", label: LabelUnderTest(1))
        use(.read, allowed: false, "the subject was relabelled down to level 1")
        monitor.register(subject: "reader", label: LabelUnderTest(2))
        monitor.register(object: "log", label: LabelUnderTest(1))
        use(.read, allowed: true, "the object was relabelled down to level 1 (reading down)")
        use(.write, allowed: false, "the handle was opened for read and the object is now below the subject (writing down)")
        monitor.unregister(subject: "reader")
        use(.read, allowed: false, "the subject was unregistered")
        monitor.register(subject: "reader", label: LabelUnderTest(2))
        monitor.unregister(object: "log")
        use(.read, allowed: false, "the object was unregistered")
        if case .success = monitor.open(subject: "reader", object: "log", for: .read) {
            CheckFail("default deny: an unregistered object was opened")
        }
    }

    /// The log holds exactly the denials, in order, numbered from 0, with who, what and why.
    func auditLog() {
        let monitor = Submission.makeMonitor()
        monitor.register(subject: "low", label: LabelUnderTest(1))
        monitor.register(subject: "high", label: LabelUnderTest(3))
        monitor.register(object: "public", label: LabelUnderTest(1))
        monitor.register(object: "secret", label: LabelUnderTest(3))
        var expected: [(String, String, OperationUnderTest)] = []
        func deny(_ subject: String, _ operation: OperationUnderTest, _ object: String) {
            expectDenied(monitor, subject, operation, object, attack: "a request the policy forbids")
            expected.append((subject, object, operation))
        }
        expectAllowed(monitor, "low", .read, "public", "reading at the same label")
        deny("low", .read, "secret")
        expectAllowed(monitor, "high", .read, "public", "reading down")
        deny("high", .send, "public")
        deny("ghost", .map, "public")
        deny("low", .read, "nowhere")
        if case .failure(let refused) = monitor.open(subject: "low", object: "secret", for: .receive) {
            expected.append(("low", "secret", .receive))
            CheckAssertEqual(refused.denial.sequence, expected.count - 1, "the denied open's audit record")
        } else {
            CheckFail("read up: opening a level-3 object for receive as level 1 was allowed")
        }
        if case .success(let handle) = monitor.open(subject: "low", object: "public", for: .read) {
            CheckAssert(handle.perform(.read) == nil, "a read at equal labels through a handle was denied")
            CheckAssert(handle.perform(.wait) == nil, "a wait at equal labels through a handle was denied")
            monitor.register(object: "public", label: LabelUnderTest(2))
            CheckAssert(handle.perform(.read) != nil, "access kept after the object was relabelled up (checked at open only)")
            expected.append(("low", "public", .read))
        } else {
            CheckFail("opening at equal labels was denied")
        }
        expectAllowed(monitor, "high", .write, "secret", "writing at the same label")
        let log = monitor.auditLog
        CheckAssertEqual(log.count, expected.count, "the number of audit records after a mix of denied and allowed operations")
        for (index, record) in log.enumerated() {
            let (subject, object, operation) = expected[index]
            CheckAssert(record.sequence == index, "audit record \(index) carries sequence number \(record.sequence)")
            CheckAssert(
                record.subject == subject && record.object == object && record.operation == operation,
                "audit record \(index) does not name the subject, object and operation of the \(index + 1)th denial (\(operation.rawValue) of an object by a subject the policy forbids)")
            CheckAssert(record.reasonGiven, "audit record \(index) gives no reason")
        }
        CheckAssertEqual(monitor.auditLog, log, "reading the audit log again")
        // A long run of denials: none is dropped.
        let busy = Submission.makeMonitor()
        busy.register(subject: "low", label: LabelUnderTest(1))
        busy.register(object: "secret", label: LabelUnderTest(3))
        for _ in 0..<300 { _ = busy.check(subject: "low", object: "secret", operation: .read) }
        let long = busy.auditLog
        CheckAssertEqual(long.count, 300, "the audit log after 300 denials")
        CheckAssert(long.map(\.sequence) == Array(0..<300), "the sequence numbers of 300 denials are not 0..<300")
    }

    /// Three threads are denied twice each while a fourth relabels: every denial is logged once
    /// with its own sequence number.
    func concurrentDenials() {
        let monitor = Submission.makeMonitor()
        monitor.register(object: "box", label: LabelUnderTest(2))
        monitor.register(object: "notice", label: LabelUnderTest(0))
        for index in 0..<3 { monitor.register(subject: "s\(index)", label: LabelUnderTest(1)) }
        let threads = (0..<3).map { index in
            Runtime.spawn(name: "s\(index)") {
                CheckAssert(monitor.check(subject: "s\(index)", object: "notice", operation: .read) == nil, "reading down by s\(index) was denied")
                CheckAssert(monitor.check(subject: "s\(index)", object: "box", operation: .read) != nil, "read up by s\(index) was allowed")
                CheckAssert(monitor.check(subject: "s\(index)", object: "box", operation: .receive) != nil, "read up by s\(index) was allowed")
            }
        }
        let relabeller = Runtime.spawn(name: "relabeller") {
            monitor.register(object: "box", label: LabelUnderTest(3))
        }
        for thread in threads + [relabeller] { thread.join() }
        let log = monitor.auditLog
        CheckAssertEqual(log.count, 6, "six denials from three threads at once (a lost or doubled record)")
        CheckAssertEqual(log.map(\.sequence), Array(0..<6), "sequence numbers in the audit log")
        for index in 0..<3 {
            let mine = log.filter { $0.subject == "s\(index)" }.map(\.operation)
            CheckAssertEqual(mine, [.read, .receive], "s\(index)'s denials in the log")
        }
    }

    /// Every field of a genuine token altered, the tag damaged, a foreign token, and the fields
    /// re-split so their bytes run together the same.
    func forgedToken() {
        let authority = Submission.makeAuthority()
        let other = Submission.makeAuthority()
        let genuine = authority.mint(object: "tmp/secret", rights: .read)
        let sibling = authority.mint(object: "tmp/other", rights: .all)
        expectAuthorized(authority, genuine, .read, on: "tmp/secret", "the genuine token")
        var token = genuine
        token.rights = .all
        expectRefused(authority, token, .write, on: "tmp/secret", attack: "a read token with its rights field widened to read+write+delegate (tag unchanged)")
        token = genuine
        token.object = "tmp/other"
        expectRefused(authority, token, .read, on: "tmp/other", attack: "a token for tmp/secret with its object field changed to tmp/other (tag unchanged)")
        token = genuine
        token.id = sibling.id
        token.rights = .all
        expectRefused(authority, token, .write, on: "tmp/secret", attack: "a token given another genuine token's id and rights (tag unchanged)")
        token = genuine
        token.id = sibling.id
        expectRefused(authority, token, .read, on: "tmp/secret", attack: "a token given another genuine token's id (every other field and the tag unchanged)")
        token = genuine
        token.tag = genuine.tag.isEmpty ? [1] : genuine.tag.dropLast() + [genuine.tag[genuine.tag.count - 1] ^ 0x01]
        expectRefused(authority, token, .read, on: "tmp/secret", attack: "a genuine token with only its tag's last bit flipped")
        token = genuine
        token.parentID = sibling.id
        expectRefused(authority, token, .read, on: "tmp/secret", attack: "a token given a parent it does not have (tag unchanged)")
        for (change, tag) in [
            ("its tag's first bit flipped", genuine.tag.isEmpty ? [1] : [genuine.tag[0] ^ 1] + genuine.tag.dropFirst()),
            ("its tag's last byte changed", genuine.tag.isEmpty ? [0] : genuine.tag.dropLast() + [genuine.tag[genuine.tag.count - 1] &+ 1]),
            ("its tag cut to half", Array(genuine.tag.prefix(genuine.tag.count / 2))),
            ("an empty tag", []),
            ("another token's tag", sibling.tag),
        ] as [(String, [UInt8])] {
            token = genuine
            token.tag = tag
            token.rights = [.read, .write]
            expectRefused(authority, token, .write, on: "tmp/secret", attack: "a token with write added and \(change)")
        }
        let foreign = other.mint(object: "tmp/secret", rights: .all)
        expectRefused(authority, foreign, .read, on: "tmp/secret", attack: "a token minted by another authority (another key)")
        tagsFromGivenFunction()
        // Field boundaries: the object's first bytes moved into the parent field.
        let resplit = TokenUnderTest(id: genuine.id, parentID: Array("tmp/".utf8), object: "secret", rights: genuine.rights, tag: genuine.tag)
        expectRefused(authority, resplit, .read, on: "secret",
                      attack: "a token for tmp/secret re-split into one for secret (the object's first 4 bytes moved into the parent field, same bytes in a row, tag unchanged): the tagged bytes do not mark where a field ends")
        // Field boundaries again, for an object whose name holds a separator.
        for separator in ["|", ":", ",", ";", "/", " ", "\u{0}", "\n", ".", "\t"] {
            let parent = authority.mint(object: "a\(separator)b", rights: .all)
            guard let child = delegated(authority, parent, .read, "delegating read on a\(separator)b") else { return }
            let moved = TokenUnderTest(id: child.id, parentID: (child.parentID ?? []) + Array("\(separator)a".utf8), object: "b", rights: child.rights, tag: child.tag)
            expectRefused(authority, moved, .read, on: "b", attack: "a token for an object whose name holds a separator, re-split so the name's first part moves into the parent field (tag unchanged)")
        }
        expectAuthorized(authority, genuine, .read, on: "tmp/secret", "the genuine token, after every forgery was tried")
        expectAuthorized(authority, sibling, .all, on: "tmp/other", "another genuine token")
    }

    /// Every tag an authority hands out is an output of the tag function it was given.
    func tagsFromGivenFunction() {
        final class Recorder: @unchecked Sendable {
            let function = GraderTagFunction()
            var outputs: Set<[UInt8]> = []
            func tag(_ bytes: [UInt8]) -> [UInt8] {
                let out = function(bytes)
                outputs.insert(out)
                return out
            }
        }
        let recorder = Recorder()
        let authority = Submission.implementation.makeAuthority(tag: { recorder.tag($0) })
        let root = authority.mint(object: "box", rights: .all)
        CheckAssert(recorder.outputs.contains(root.tag), "a minted token's tag is not an output of the keyed tag function the authority was given (an unkeyed tag anyone can compute)")
        if let child = delegated(authority, root, .read, "delegating read") {
            CheckAssert(recorder.outputs.contains(child.tag), "a delegated token's tag is not an output of the keyed tag function the authority was given")
        }
    }

    /// Rights only shrink along delegation.
    func noAmplification() {
        let authority = Submission.makeAuthority()
        let root = authority.mint(object: "pipe", rights: [.read, .delegate])
        if case .success = authority.delegate(root, rights: [.read, .write]) {
            CheckFail("rights amplified through delegation: a read+delegate token delegated read+write")
        }
        guard let relay = delegated(authority, root, [.read, .delegate], "passing on every right held") else { return }
        guard let reader = delegated(authority, relay, .read, "delegating read from a read+delegate token") else { return }
        expectAuthorized(authority, reader, .read, on: "pipe", "a token two delegations below the root")
        expectRefused(authority, reader, .write, on: "pipe", attack: "a read-only grandchild used to write")
        expectRefused(authority, root, [.read, .write], on: "pipe", attack: "a read+delegate token used for read+write (one of the rights asked for is missing)")
        if case .success = authority.delegate(reader, rights: .read) {
            CheckFail("delegation without the delegate right: a read-only token delegated read")
        }
        if case .success = authority.delegate(relay, rights: .all) {
            CheckFail("rights amplified through delegation: a read+delegate token two hops down delegated read+write+delegate")
        }
        let writer = authority.mint(object: "pipe", rights: [.write, .delegate])
        if case .success = authority.delegate(writer, rights: [.read]) {
            CheckFail("rights amplified through delegation: a write+delegate token delegated read")
        }
    }

    /// Revoking reaches everything derived, and only that; a forged revocation revokes nothing.
    func transitiveRevocation() {
        let authority = Submission.makeAuthority()
        let root = authority.mint(object: "region", rights: .all)
        guard let branch = delegated(authority, root, .all, "a full copy"),
              let leaf = delegated(authority, branch, [.read, .delegate], "read+delegate from the copy"),
              let sibling = delegated(authority, root, .read, "a second child of the root")
        else { return }
        CheckAssert(authority.revoke(branch) == nil, "revoking a genuine token was refused")
        expectRefused(authority, branch, .read, on: "region", attack: "a token used after it was revoked")
        expectRefused(authority, leaf, .read, on: "region", attack: "use after revocation of a derived token: a grandchild still worked after its parent was revoked")
        if case .success = authority.delegate(leaf, rights: .read) {
            CheckFail("use after revocation of a derived token: a grandchild of a revoked token could still delegate")
        }
        expectAuthorized(authority, root, .all, on: "region", "the root after one of its children was revoked")
        expectAuthorized(authority, sibling, .read, on: "region", "a sibling of the revoked token")
        let late = authority.mint(object: "region", rights: .read)
        CheckAssert(authority.revoke(root) == nil, "revoking a genuine root was refused")
        expectRefused(authority, sibling, .read, on: "region", attack: "use after revocation of a derived token: a child still worked after its root was revoked")
        expectAuthorized(authority, late, .read, on: "region", "another root for the same object")
        // A chain four deep, revoked at its root.
        let top = authority.mint(object: "deep", rights: .all)
        guard let one = delegated(authority, top, .all, "depth 1"),
              let two = delegated(authority, one, .all, "depth 2"),
              let three = delegated(authority, two, .read, "depth 3")
        else { return }
        expectAuthorized(authority, three, .read, on: "deep", "a token three delegations below its root")
        CheckAssert(authority.revoke(top) == nil, "revoking a genuine root was refused")
        expectRefused(authority, two, .read, on: "deep", attack: "use after revocation of a derived token: a grandchild still worked after its root was revoked")
        expectRefused(authority, three, .read, on: "deep", attack: "use after revocation of a derived token: a great-grandchild still worked after its root was revoked")
        // A forged revocation: the attacker alters a token it does not hold a right to revoke.
        let victim = authority.mint(object: "victim", rights: .read)
        var forged = victim
        forged.tag = victim.tag.isEmpty ? [1] : [victim.tag[0] ^ 0x80] + victim.tag.dropFirst()
        CheckAssert(authority.revoke(forged) != nil, "a revocation with a forged tag was accepted")
        expectAuthorized(authority, victim, .read, on: "victim", "a token after someone tried to revoke it with a forged copy")
    }

    /// A deputy acting for a client uses the client's token for the target the client named.
    func confusedDeputy() {
        let authority = Submission.makeAuthority()
        let deputyOwn = authority.mint(object: "billing", rights: [.read, .write])
        let client = authority.mint(object: "client-out", rights: .write)
        /// The print service: writes the target only if the client's token allows it.
        func printService(target: String, clientToken: TokenUnderTest) -> Bool {
            authority.authorize(clientToken, .write, on: target) == nil
        }
        CheckAssert(printService(target: "client-out", clientToken: client), "the deputy refused the client's own output file, which its token grants")
        CheckAssert(!printService(target: "billing", clientToken: client),
                    "confused deputy: a client's token for client-out made the print service write billing (a token was accepted for an object it does not name)")
        expectAuthorized(authority, deputyOwn, .write, on: "billing", "the deputy's own token for billing")
        expectRefused(authority, deputyOwn, .write, on: "client-out", attack: "a token for billing accepted for client-out")
    }

    /// Real threads deny, relabel and read the log at once.
    func nativeStress() {
        let monitor = Submission.makeMonitor()
        monitor.register(object: "box", label: LabelUnderTest(2))
        let rounds = 500
        let threads = (0..<4).map { index in
            Runtime.spawn(name: "s\(index)") {
                monitor.register(subject: "s\(index)", label: LabelUnderTest(1))
                for _ in 0..<rounds {
                    _ = monitor.check(subject: "s\(index)", object: "box", operation: .read)
                    monitor.register(object: "box", label: LabelUnderTest(index % 2 == 0 ? 2 : 3))
                }
            }
        }
        for thread in threads { thread.join() }
        let log = monitor.auditLog
        CheckAssertEqual(log.count, 4 * rounds, "every denial under real threads is logged once")
        CheckAssertEqual(log.map(\.sequence), Array(0..<(4 * rounds)), "sequence numbers under real threads")
    }

    static let once = ExplorationPlan(strategy: .random, seed: 1, schedules: 1)

    override class var checks: [CheckDefinition] {
        [
            check(
                "no-read-up", "read up by level and by category, with every operation that observes",
                explanation: "the simple security property: observing needs the subject's label to dominate the object's, categories included.",
                points: 10, property: .informationFlow, .hidden, .controlled(once), HiddenAccessControlChecks.noReadUp),
            check(
                "no-write-down", "write down by level and by category, with every operation that alters",
                explanation: "the star property: altering needs the object's label to dominate the subject's; an operation that both observes and alters needs equal labels.",
                points: 10, property: .informationFlow, .hidden, .controlled(once), HiddenAccessControlChecks.noWriteDown),
            check(
                "default-deny", "unknown and unregistered subjects and objects, every operation",
                explanation: "whatever the monitor does not know is denied.",
                points: 8, property: .completeMediation, .hidden, .controlled(once), HiddenAccessControlChecks.defaultDeny),
            check(
                "every-use-checked", "relabelling and unregistering take effect on handles already open",
                explanation: "complete mediation: a handle is checked on every operation, not only when it is opened.",
                points: 10, property: .completeMediation, .hidden, .controlled(once), HiddenAccessControlChecks.everyUseChecked),
            check(
                "audit-log", "exactly the denials, in order, numbered from 0, with subject, object, operation and reason",
                explanation: "the audit log records every denial once and nothing that was allowed.",
                points: 8, property: .audit, .hidden, .controlled(once), HiddenAccessControlChecks.auditLog),
            check(
                "concurrent-denials", "three threads allowed once and denied twice each while a fourth relabels, under PCT",
                explanation: "deciding and logging a denial is one atomic step: no record is lost, doubled or numbered twice.",
                points: 6, property: .audit, .hidden,
                .controlled(ExplorationPlan(strategy: .pct(depth: 3, steps: 400), seed: 7, schedules: 300)),
                HiddenAccessControlChecks.concurrentDenials),
            check(
                "forged-token", "every field of a token altered, its tag damaged, a foreign token, fields re-split",
                explanation: "the tag binds every field, unambiguously, under the authority's key; anything else is refused.",
                points: 10, property: .unforgeability, .hidden, .controlled(once), HiddenAccessControlChecks.forgedToken),
            check(
                "no-amplification", "delegating more rights than held, or without the delegate right",
                explanation: "delegation passes on at most the rights held, and only with the delegate right.",
                points: 6, property: .attenuation, .hidden, .controlled(once), HiddenAccessControlChecks.noAmplification),
            check(
                "transitive-revocation", "children and grandchildren of a revoked token, siblings, a forged revocation",
                explanation: "revoking a token revokes everything derived from it at once, and nothing else.",
                points: 8, property: .revocation, .hidden, .controlled(once), HiddenAccessControlChecks.transitiveRevocation),
            check(
                "confused-deputy", "a deputy authorizes the client's token for the object the client names",
                explanation: "a token grants rights on the object it names and no other.",
                points: 4, property: .completeMediation, .hidden, .controlled(once), HiddenAccessControlChecks.confusedDeputy),
            // Real threads: unscored (whether the OS exposes a race varies from run to run).
            check(
                "native-stress", "four real threads denied and relabelling at once",
                explanation: "under real parallelism every denial is logged once.",
                points: 0, property: .audit, .hidden, .native(iterations: 3, longIterations: 30), HiddenAccessControlChecks.nativeStress),
        ]
    }
}

/// What the checks executable runs as the hidden checks.
enum HiddenChecks {
    static var all: [CheckDefinition] { HiddenAccessControlChecks.checks }
}
