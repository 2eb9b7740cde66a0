import AssignmentContract
import CheckKit
import TurnstileRuntime

/// The public checks, the XCTest way, and the scenario vocabulary the hidden checks share.
///
/// A check drives *parties*: threads that ask for the lock, note that they are inside, and hold
/// it at a gate until the check releases them. After every arrival and release the check waits
/// for quiescence (every other thread asleep or finished, as the engine records it), so "W is
/// waiting" means W is asleep inside `lockWrite()`, and arrival order is the order the check
/// chose, never a guess from timing or from the student's own state.
class ReadersWritersChecks: CheckCase {
    /// A thread the check drives.
    struct Party {
        let name: String
        let gate: CheckGate
        let handle: ThreadHandle
    }

    /// Who is inside now, with whether each is a writer.
    let inside = ControlledBox<[(name: String, isWriter: Bool)]>([])
    /// Everyone who has entered so far, in order.
    let entered = ControlledBox<[String]>([])
    var parties: [Party] = []

    /// Notes that `name` got the lock, and fails if that breaks exclusion.
    func enter(_ name: String, isWriter: Bool) {
        let others = inside.value.map(\.name)
        if isWriter {
            CheckAssert(others.isEmpty, "writer \(name) got the lock while \(others.joined(separator: ", ")) held it: a writer must be alone")
        } else if let writer = inside.value.first(where: \.isWriter) {
            CheckAssert(false, "reader \(name) got the lock while writer \(writer.name) held it")
        }
        inside.value.append((name, isWriter))
        entered.value.append(name)
    }

    func leave(_ name: String) { inside.value.removeAll { $0.name == name } }

    /// Starts a party that asks for `lock` and holds it until released; returns once every
    /// thread is asleep or done, so the party has entered or is waiting.
    @discardableResult
    func arrive(_ name: String, writer: Bool, at lock: any ReadersWritersLockUnderTest) -> Party {
        let gate = CheckGate(name: "\(name).hold")
        let handle = Runtime.spawn(name: name) {
            if writer { lock.lockWrite() } else { lock.lockRead() }
            self.enter(name, isWriter: writer)
            gate.pass()
            self.leave(name)
            if writer { lock.unlockWrite() } else { lock.unlockRead() }
        }
        let party = Party(name: name, gate: gate, handle: handle)
        parties.append(party)
        awaitQuiescence()
        return party
    }

    /// Lets a party go and waits until everyone is asleep or done again.
    func release(_ party: Party) {
        party.gate.open()
        awaitQuiescence()
    }

    /// Fails unless exactly `names` hold the lock now.
    func expectInside(_ names: Set<String>, _ situation: String, policy: PolicyUnderTest) {
        let now = Set(inside.value.map(\.name))
        CheckAssert(now == names, "\(policy.rawValue): \(situation): expected inside \(Self.list(names)), found \(Self.list(now))")
    }

    static func list(_ names: Set<String>) -> String { names.isEmpty ? "nobody" : names.sorted().joined(separator: ", ") }

    /// Releases everyone still held and joins every party.
    func finish() {
        for party in parties { party.gate.open() }
        for party in parties { party.handle.join() }
        parties = []
    }

    /// One thread, each policy: two read holds at once, then a write.
    func sequentialUse() {
        for policy in PolicyUnderTest.allCases {
            let lock = Submission.makeLock(policy: policy)
            for _ in 0..<2 {
                lock.lockRead()
                lock.lockRead()
                lock.unlockRead()
                lock.unlockRead()
                lock.lockWrite()
                lock.unlockWrite()
            }
        }
    }

    /// Each policy: a second reader gets in while the first is inside.
    func readersShare() {
        for policy in PolicyUnderTest.allCases {
            let lock = Submission.makeLock(policy: policy)
            arrive("reader-1", writer: false, at: lock)
            arrive("reader-2", writer: false, at: lock)
            expectInside(["reader-1", "reader-2"], "two readers and no writer", policy: policy)
            finish()
        }
    }

    /// Spin-waits count as asleep once nothing they read can change (see the README).
    static var quiescent: ExecutionOptions {
        var options = ExecutionOptions()
        options.yieldAwaitsChange = true
        return options
    }

    override class var checks: [CheckDefinition] {
        [
            check(
                "sequential-use", "one thread, each policy: two read holds, then a write, twice",
                explanation: "readers share the lock, so one thread may hold two read locks; unlocking must put the lock back as it was.",
                points: 10, property: .mutualExclusion, .public, .controlled(ExplorationPlan(strategy: .random, seed: 1, schedules: 1)),
                ReadersWritersChecks.sequentialUse),
            check(
                "readers-share", "each policy: a second reader gets in while the first is inside",
                explanation: "readers do not exclude each other; with no writer inside or waiting, an arriving reader enters at once.",
                points: 10, property: .admissionPolicy, .public, .controlled(ExplorationPlan(strategy: .random, seed: 2, schedules: 200, options: quiescent)),
                ReadersWritersChecks.readersShare),
        ]
    }
}

/// What the checks executable runs as the public checks.
enum PublicChecks {
    static var all: [CheckDefinition] { ReadersWritersChecks.checks }
}
