import CheckKit
import Foundation
import Testing
import TurnstileRuntime

/// Differential test of the partial-order-reduction search against plain exhaustive search.
///
/// Small random programs (two or three spawned threads and main, two to four operations each,
/// drawn from a fixed seed) are explored by `.dpor`, which must complete, and by
/// `.exhaustive(preemptions: 10)`, a bound no program here reaches, within a budget. When the
/// plain search completes, both must reach exactly the same end states (every value read, every
/// `tryLock` result, how far each thread got, the final shared values, the box, and which
/// threads were left blocked), and the reduced search must not need more executions. A program
/// whose plain search does not complete is skipped for equality and counted; every end state
/// that search did reach must still be among the reduced search's.
///
/// Half the programs nest their locks in one global order, never leave a lock held, and raise
/// every flag a spawned thread awaits; the other half nest locks in any order (deadlock) and
/// may end a thread holding a lock, so executions can end with threads blocked for ever.
/// Blocking at the end is allowed (`allowBlockedAtEnd`): the blocked threads are part of the end
/// state; when a blocked end exists, the reduced search must also report a deadlock with
/// blocking not allowed. Some programs let main's return end the execution
/// (`mainReturnEndsExecution`), joining none or only some of the threads.
///
/// Larger programs, whose plain search cannot complete, are held against a search bounded at two
/// preemptions and random sampling: the reduced search must reach everything those reach.
///
/// `TURNSTILE_LONG_TESTS` set: four times the programs of the small kind, ten times the larger
/// (each execution that leaves a thread unfinished keeps that thread's captures, so a process
/// grows by about a gigabyte per hundred small programs); `TURNSTILE_DPOR_DIFF_SEED=n` draws
/// other programs.
@Suite(.serialized) struct DPORDifferentialTests {
    // MARK: Programs

    /// One operation of a generated thread.
    indirect enum Op: Sendable, CustomStringConvertible {
        /// Lock `lock`, run the operations, unlock.
        case locked(Int, [Op])
        /// `tryLock`; on success run the operations and unlock.
        case tryLocked(Int, [Op])
        /// Lock and never unlock (generated only as a thread's last operation).
        case leak(Int)
        /// Load shared variable `index`.
        case load(Int)
        /// Store `value` to shared variable `index`.
        case store(Int, Int)
        case atomicLoad
        case atomicAdd(Int)
        case atomicStore(Int)
        /// Append to the box (generated only while a lock is held).
        case append(Int)
        /// Lock condition `index`'s lock, wait in a loop until its flag is set, unlock.
        case awaitFlag(Int)
        /// Lock condition `index`'s lock, set its flag, signal (or broadcast), unlock.
        case raiseFlag(Int, all: Bool)

        var description: String {
            switch self {
            case .locked(let lock, let inner): "\(lockName(lock)){\(inner.map(\.description).joined(separator: "; "))}"
            case .tryLocked(let lock, let inner):
                "try\(lockName(lock)){\(inner.map(\.description).joined(separator: "; "))}"
            case .leak(let lock): "lock \(lockName(lock)) for ever"
            case .load(let index): "load \(sharedName(index))"
            case .store(let index, let value): "\(sharedName(index))=\(value)"
            case .atomicLoad: "load a"
            case .atomicAdd(let delta): "a+=\(delta)"
            case .atomicStore(let value): "a=\(value)"
            case .append(let value): "box<<\(value)"
            case .awaitFlag(let index): "await f\(lockName(index))"
            case .raiseFlag(let index, let all): "\(all ? "broadcast" : "signal") f\(lockName(index))"
            }
        }

        /// Roughly how many scheduling points the operation passes.
        var cost: Int {
            switch self {
            case .locked(_, let inner), .tryLocked(_, let inner): 2 + inner.map(\.cost).reduce(0, +)
            case .leak, .load, .store, .atomicLoad, .atomicAdd, .atomicStore: 1
            case .append: 0
            case .awaitFlag: 5
            case .raiseFlag: 3
            }
        }

        var awaits: Bool { if case .awaitFlag = self { true } else { false } }
        var leaks: Bool { if case .leak = self { true } else { false } }
    }

    /// A generated program: the spawned threads' operations, main's own, and how it ends.
    struct Program: Sendable, CustomStringConvertible {
        var threads: [[Op]]
        var main: [Op] = []
        /// How many of the threads main joins, in order, after its own operations.
        var joins: Int
        /// Whether main's return ends the execution (`mainReturnEndsExecution`).
        var exits = false
        /// Spurious wakeups allowed per execution.
        var spurious = 0
        /// Whether locks nest in one order and are never left held.
        var ordered = true

        var description: String {
            var lines = threads.enumerated().map {
                "t\($0.offset + 1): \($0.element.map(\.description).joined(separator: "; "))"
            }
            let joined = joins == 0 ? "" : "join " + (1...joins).map { "t\($0)" }.joined(separator: ", ")
            let body = (main.map(\.description) + (joined.isEmpty ? [] : [joined])).joined(separator: "; ")
            lines.append("main: \(body.isEmpty ? "(nothing)" : body)\(exits ? " (its return ends the execution)" : "")")
            if spurious > 0 { lines.append("spurious wakeups: \(spurious)") }
            return lines.joined(separator: "\n")
        }

        /// Scheduling points, roughly: each thread's operations and finish; main's spawns,
        /// operations, joins and return.
        var points: Int {
            threads.map { 1 + $0.map(\.cost).reduce(0, +) }.reduce(0, +) + threads.count + main.map(\.cost).reduce(0, +)
                + joins + 1
        }

        var allOps: [Op] {
            func flatten(_ ops: [Op]) -> [Op] {
                ops.flatMap { op -> [Op] in
                    switch op {
                    case .locked(_, let inner), .tryLocked(_, let inner): [op] + flatten(inner)
                    default: [op]
                    }
                }
            }
            return flatten(threads.joined() + main)
        }
    }

    static func lockName(_ index: Int) -> String { index == 0 ? "A" : "B" }
    static func sharedName(_ index: Int) -> String { index == 0 ? "x" : "y" }

    /// The objects of one execution, made fresh by main each time.
    final class World: @unchecked Sendable {
        // Safety: touched only by logical threads under the controlled engine (one at a time)
        // and by `verify` after the execution.
        let locks = [Lock(name: "A"), Lock(name: "B")]
        let conditions: [Condition]
        let flags = [ControlledBox(false), ControlledBox(false)]
        let shared = [Shared(0, name: "x"), Shared(0, name: "y")]
        let atomic = AtomicInt(0, name: "a")
        let box = ControlledBox<[Int]>([])
        /// What each thread observed and how far it got (0 is main); each writes only its own.
        let logs: [ControlledBox<[String]>]

        init(threads: Int) {
            conditions = [Condition(lock: locks[0], name: "cA"), Condition(lock: locks[1], name: "cB")]
            logs = (0...threads).map { _ in ControlledBox<[String]>([]) }
        }
    }

    static func perform(_ op: Op, _ world: World, _ log: ControlledBox<[String]>) {
        switch op {
        case .locked(let lock, let inner):
            world.locks[lock].lock()
            log.value.append("\(lockName(lock))+")
            for op in inner { perform(op, world, log) }
            world.locks[lock].unlock()
            log.value.append("\(lockName(lock))-")
        case .tryLocked(let lock, let inner):
            if world.locks[lock].tryLock() {
                log.value.append("try\(lockName(lock))+")
                for op in inner { perform(op, world, log) }
                world.locks[lock].unlock()
                log.value.append("\(lockName(lock))-")
            } else {
                log.value.append("try\(lockName(lock))busy")
            }
        case .leak(let lock):
            world.locks[lock].lock()
            log.value.append("\(lockName(lock))+kept")
        case .load(let index):
            let value = world.shared[index].load()
            log.value.append("\(sharedName(index)):\(value)")
        case .store(let index, let value):
            world.shared[index].store(value)
            log.value.append("\(sharedName(index))=\(value)")
        case .atomicLoad:
            let value = world.atomic.load()
            log.value.append("a:\(value)")
        case .atomicAdd(let delta):
            let old = world.atomic.fetchAdd(delta)
            log.value.append("a+\(delta):\(old)")
        case .atomicStore(let value):
            world.atomic.store(value)
            log.value.append("a=\(value)")
        case .append(let value):
            world.box.value.append(value)
            log.value.append("box")
        case .awaitFlag(let index):
            world.locks[index].lock()
            while !world.flags[index].value { world.conditions[index].wait() }
            world.locks[index].unlock()
            log.value.append("awoke\(lockName(index))")
        case .raiseFlag(let index, let all):
            world.locks[index].lock()
            world.flags[index].value = true
            if all { world.conditions[index].broadcast() } else { world.conditions[index].signal() }
            world.locks[index].unlock()
            log.value.append("raised\(lockName(index))")
        }
    }

    /// Main's body: spawn every thread, run main's operations, join the first `joins` threads.
    static func run(_ program: Program, _ world: World) {
        var handles: [ThreadHandle] = []
        for (index, ops) in program.threads.enumerated() {
            let log = world.logs[index + 1]
            handles.append(
                Runtime.spawn(name: "t\(index + 1)") {
                    for op in ops { perform(op, world, log) }
                })
        }
        for op in program.main { perform(op, world, world.logs[0]) }
        for (index, handle) in handles.prefix(program.joins).enumerated() {
            handle.join()
            world.logs[0].value.append("joined t\(index + 1)")
        }
    }

    /// Everything an execution's end shows: the logs, the final values, the blocked threads.
    static func endState(_ world: World, _ report: ExecutionReport) -> String {
        let logs = world.logs.enumerated().map {
            "\($0.offset == 0 ? "main" : "t\($0.offset)")[\($0.element.value.joined(separator: " "))]"
        }
        let values =
            "x=\(world.shared[0].load()) y=\(world.shared[1].load()) a=\(world.atomic.load()) box=\(world.box.value) flags=\(world.flags.map { $0.value ? 1 : 0 })"
        let blocked = report.blockedAtEnd.isEmpty ? "" : " blocked=\(report.blockedAtEnd.sorted())"
        return logs.joined(separator: " ") + " | " + values + blocked
    }

    // MARK: Exploration

    final class Seen: @unchecked Sendable {
        // Safety: written only by `verify`, on the exploring thread.
        var set: Set<String> = []
    }

    /// Explores `program` under `strategy` and collects every end state; a failure (which stops
    /// a systematic search) is an outcome too, by kind.
    static func explore(
        _ program: Program, _ strategy: StrategyKind, budget: Int, blockedIsOutcome: Bool = true
    ) -> (outcomes: Set<String>, result: ExplorationResult) {
        let seen = Seen()
        var plan = ExplorationPlan(strategy: strategy, seed: 1, schedules: budget, shrinkBudget: 0)
        plan.options.spuriousWakeups = program.spurious
        plan.options.allowBlockedAtEnd = blockedIsOutcome
        plan.options.mainReturnEndsExecution = program.exits
        plan.options.recordTrace = false
        let result = Explorer.exploreScenarios(plan) {
            let world = World(threads: program.threads.count)
            return Scenario(
                run: { run(program, world) },
                verify: { report in
                    seen.set.insert(endState(world, report))
                    return nil
                })
        }
        if let found = result.failure { seen.set.insert("failure \(found.failure.kind.rawValue)") }
        return (seen.set, result)
    }

    /// What one differential comparison found.
    struct Comparison {
        /// Whether the plain search did not complete (equality not checked).
        var skipped = false
        var problems: [String] = []
        var baselineSchedules = 0
        var reducedSchedules = 0
    }

    static let baselineBudget = 15_000
    static let reducedBudget = 100_000

    /// Runs both searches on `program` and lists every disagreement. When the plain search
    /// does not complete, only what it did reach is held against the reduced search.
    static func compare(_ program: Program) -> Comparison {
        var comparison = Comparison()
        let baseline = explore(program, .exhaustive(preemptions: 10), budget: baselineBudget)
        comparison.baselineSchedules = baseline.result.schedules
        comparison.skipped = !baseline.result.exhausted
        let reduced = explore(program, .dpor, budget: reducedBudget)
        comparison.reducedSchedules = reduced.result.schedules
        comparison.problems = disagreements(
            program, baseline: baseline, complete: !comparison.skipped, reduced: reduced, baselineName: "plain search")
        if !comparison.skipped, reduced.result.schedules > baseline.result.schedules {
            comparison.problems.append(
                "the reduced search ran \(reduced.result.schedules) executions, the plain search \(baseline.result.schedules)"
            )
        }
        return comparison
    }

    /// Holds a larger program's reduced search against a search bounded at two preemptions
    /// and random sampling, neither complete: the reduced search must reach all they reach.
    static func compareWithSamples(_ program: Program) -> Comparison {
        var comparison = Comparison()
        let bounded = explore(program, .exhaustive(preemptions: 2), budget: 4_000)
        let sampled = explore(program, .random, budget: 1_500)
        let baseline = (outcomes: bounded.outcomes.union(sampled.outcomes), result: bounded.result)
        comparison.baselineSchedules = bounded.result.schedules + sampled.result.schedules
        comparison.skipped = true
        let reduced = explore(program, .dpor, budget: reducedBudget)
        comparison.reducedSchedules = reduced.result.schedules
        comparison.problems = disagreements(
            program, baseline: baseline, complete: false, reduced: reduced, baselineName: "bounded and random searches")
        return comparison
    }

    static func disagreements(
        _ program: Program, baseline: (outcomes: Set<String>, result: ExplorationResult), complete: Bool,
        reduced: (outcomes: Set<String>, result: ExplorationResult), baselineName: String
    ) -> [String] {
        var problems: [String] = []
        if !reduced.result.exhausted {
            problems.append("the reduced search did not complete within \(reduced.result.schedules) executions")
        }
        let missing = baseline.outcomes.subtracting(reduced.outcomes)
        let extra = complete ? reduced.outcomes.subtracting(baseline.outcomes) : []
        if !missing.isEmpty || !extra.isEmpty {
            var text =
                "end states differ (reduced search \(reduced.result.exhausted ? "complete" : "incomplete") in \(reduced.result.schedules) executions, \(baselineName) \(complete ? "complete" : "incomplete") in \(baseline.result.schedules))"
            if !missing.isEmpty {
                text += "\n  missed by the reduced search:\n    " + missing.sorted().joined(separator: "\n    ")
            }
            if !extra.isEmpty {
                text += "\n  reached only by the reduced search:\n    " + extra.sorted().joined(separator: "\n    ")
            }
            text +=
                "\n  both reach:\n    "
                + baseline.outcomes.intersection(reduced.outcomes).sorted().joined(separator: "\n    ")
            problems.append(text)
        }
        // A program that can end blocked deadlocks when blocking at the end is a failure: the
        // reduced search must report that too.
        if !program.exits, baseline.outcomes.contains(where: { $0.contains("blocked=") }) {
            let strict = explore(program, .dpor, budget: reducedBudget, blockedIsOutcome: false)
            if strict.result.failure?.failure.kind != .deadlock {
                problems.append(
                    "a blocked end state exists, but with blocking a failure the reduced search reports \(strict.result.failure.map { $0.failure.kind.rawValue } ?? "nothing") in \(strict.result.schedules) executions"
                )
            }
        }
        return problems
    }

    // MARK: Generation

    struct Generator {
        var random: SeededGenerator

        mutating func below(_ bound: Int) -> Int { random.below(bound) }
        mutating func chance(_ percent: Int) -> Bool { random.below(100) < percent }

        /// A simple operation: a shared or atomic access, or an append while a lock is held.
        mutating func simple(holding: Bool) -> Op {
            switch below(holding ? 8 : 6) {
            case 0, 5: .load(below(2))
            case 1: .store(below(2), 1 + below(3))
            case 2: .atomicLoad
            case 3: .atomicAdd(1 + below(2))
            case 4: .atomicStore(1 + below(3))
            default: .append(1 + below(9))
            }
        }

        /// What runs while `held` locks are held: simple operations, and a nested lock (in
        /// ordered programs only above every held one).
        mutating func inner(held: [Int], ordered: Bool) -> [Op] {
            var ops: [Op] = []
            for _ in 0..<below(3) {
                let free = (0..<2).filter { lock in !held.contains(lock) && (!ordered || lock > (held.max() ?? -1)) }
                if !free.isEmpty, chance(25) {
                    let lock = free[below(free.count)]
                    let nested = inner(held: held + [lock], ordered: ordered)
                    ops.append(chance(30) ? .tryLocked(lock, nested) : .locked(lock, nested))
                } else {
                    ops.append(simple(holding: true))
                }
            }
            return ops
        }

        mutating func topLevel(ordered: Bool) -> Op {
            switch below(16) {
            case 0, 1, 2, 3:
                let lock = below(2)
                return .locked(lock, inner(held: [lock], ordered: ordered))
            case 4, 5:
                let lock = below(2)
                return .tryLocked(lock, inner(held: [lock], ordered: ordered))
            case 6:
                let lock = below(2)
                return .locked(lock, [.append(7 + lock)])
            case 7: return .awaitFlag(below(2))
            case 8: return .raiseFlag(below(2), all: chance(30))
            default: return simple(holding: false)
            }
        }

        /// An operation of at most two scheduling points.
        mutating func light() -> Op {
            switch below(5) {
            case 0: .locked(below(2), [.append(1 + below(9))])
            case 1: .tryLocked(below(2), [])
            default: simple(holding: false)
            }
        }

        mutating func program(threadCounts: ClosedRange<Int> = 2...3) -> Program {
            let ordered = chance(50)
            let threadCount = threadCounts.lowerBound + below(threadCounts.count)
            var threads = (0..<threadCount).map { _ in (0..<(2 + below(3))).map { _ in topLevel(ordered: ordered) } }
            if threadCount == 3, chance(40) {
                // Three light threads: two cheap operations each, so the plain search can
                // complete when main does not join them all.
                threads = (0..<3).map { _ in (0..<2).map { _ in light() } }
            } else if chance(25) {
                // A hand-off: one thread awaits a flag another raises.
                let flag = below(2)
                threads[0][below(threads[0].count)] = .awaitFlag(flag)
                threads[1][below(threads[1].count)] = .raiseFlag(flag, all: chance(30))
            }
            if ordered {
                // Every flag a thread awaits is raised by another thread.
                for index in threads.indices {
                    for case .awaitFlag(let flag) in threads[index] {
                        let raised = threads.indices.contains { other in
                            other != index
                                && threads[other].contains { if case .raiseFlag(flag, _) = $0 { true } else { false } }
                        }
                        if !raised {
                            let other = (index + 1 + below(threads.count - 1)) % threads.count
                            threads[other].insert(.raiseFlag(flag, all: false), at: below(threads[other].count + 1))
                        }
                    }
                }
            } else {
                // A thread may end holding a lock: whoever wants it later waits for ever.
                for index in threads.indices where chance(35) {
                    threads[index][threads[index].count - 1] = .leak(below(2))
                }
            }
            let main = (0..<(chance(35) ? 1 : 0)).map { _ in
                chance(50) ? simple(holding: false) : topLevel(ordered: ordered)
            }
            var program = Program(threads: threads, main: main, joins: threads.count, ordered: ordered)
            switch below(6) {
            case 0:
                program.exits = true
                program.joins = 0
            case 1:
                program.exits = true
                program.joins = below(threadCount)
            case 2:
                program.joins = 0
            default:
                break
            }
            if program.allOps.contains(where: \.awaits), chance(25) { program.spurious = 1 }
            return program
        }
    }

    /// `count` programs from `seed` that `fits` accepts, and how many others were drawn.
    static func generate(count: Int, seed: UInt64, threadCounts: ClosedRange<Int> = 2...3, fits: (Program) -> Bool) -> (
        programs: [Program], dropped: Int
    ) {
        var generator = Generator(random: SeededGenerator(seed: seed))
        var programs: [Program] = []
        var dropped = 0
        while programs.count < count {
            let program = generator.program(threadCounts: threadCounts)
            if fits(program) {
                programs.append(program)
            } else {
                dropped += 1
            }
        }
        return (programs, dropped)
    }

    /// Small enough for the plain search to complete, mostly, within its budget (condition
    /// waits block, so they cost fewer executions than their points suggest).
    static func isSmall(_ program: Program) -> Bool {
        let allowed = program.allOps.contains(where: \.awaits) ? 15 : program.threads.count == 3 ? 13 : 12
        return program.points <= allowed
    }

    static var longMode: Bool { ProcessInfo.processInfo.environment["TURNSTILE_LONG_TESTS"] != nil }

    /// Added to the fixed seeds (`TURNSTILE_DPOR_DIFF_SEED`), to draw other programs.
    static var seedOffset: UInt64 { UInt64(ProcessInfo.processInfo.environment["TURNSTILE_DPOR_DIFF_SEED"] ?? "") ?? 0 }

    /// What kinds of program a run covered, for its summary line.
    static func coverage(_ programs: [Program]) -> String {
        let unordered = programs.filter { !$0.ordered }.count
        let leaking = programs.filter { $0.allOps.contains(where: \.leaks) }.count
        let waiting = programs.filter { $0.allOps.contains(where: \.awaits) }.count
        let spurious = programs.filter { $0.spurious > 0 }.count
        let exiting = programs.filter(\.exits).count
        let three = programs.filter { $0.threads.count == 3 }.count
        return
            "\(three) with three threads, \(unordered) unordered (\(leaking) leaving a lock held), \(waiting) with condition waits (\(spurious) with a spurious wakeup), \(exiting) ending at main's return"
    }

    /// Runs `check` on every program and reports what disagreed.
    static func check(_ programs: [Program], name: String, dropped: Int, _ check: (Program) -> Comparison) -> (
        failures: [String], skipped: Int
    ) {
        var skipped = 0
        var failures: [String] = []
        var baselineTotal = 0
        var reducedTotal = 0
        for (index, program) in programs.enumerated() {
            let comparison = check(program)
            if comparison.skipped { skipped += 1 }
            baselineTotal += comparison.baselineSchedules
            reducedTotal += comparison.reducedSchedules
            if !comparison.problems.isEmpty {
                failures.append("program #\(index):\n\(program)\n" + comparison.problems.joined(separator: "\n"))
            }
        }
        print(
            "\(name): \(programs.count) programs (\(dropped) drawn outside the size range), \(skipped) skipped, \(failures.count) disagree; executions: others \(baselineTotal), reduced \(reducedTotal); \(coverage(programs))"
        )
        return (failures, skipped)
    }

    // MARK: Tests

    @Test func smallProgramsReachExactlyTheEndStatesOfThePlainSearch() {
        let (programs, dropped) = Self.generate(
            count: Self.longMode ? 400 : 100, seed: 0x5EED_D0B0 &+ Self.seedOffset, fits: Self.isSmall)
        let (failures, skipped) = Self.check(programs, name: "small programs", dropped: dropped, Self.compare)
        #expect(skipped * 5 <= programs.count, "\(skipped) of \(programs.count) skipped")
        #expect(
            failures.isEmpty,
            "\(failures.count) of \(programs.count) programs disagree; the first:\n\(failures.prefix(4).joined(separator: "\n\n"))"
        )
    }

    @Test func largerProgramsReachEveryEndStateOfBoundedAndRandomSearch() {
        let (programs, dropped) = Self.generate(
            count: Self.longMode ? 60 : 6, seed: 0xB16_D0B0 &+ Self.seedOffset, threadCounts: 3...3
        ) {
            (16...20).contains($0.points)
        }
        let (failures, _) = Self.check(programs, name: "larger programs", dropped: dropped, Self.compareWithSamples)
        #expect(
            failures.isEmpty,
            "\(failures.count) of \(programs.count) programs disagree; the first:\n\(failures.prefix(4).joined(separator: "\n\n"))"
        )
    }

    /// A thread waits for a lock whose holder never releases it: the search must also run the
    /// order in which the waiter took the lock first (and the holder waits for ever).
    @Test(arguments: [
        Program(threads: [[.leak(0)], [.leak(0)]], joins: 0, ordered: false),
        Program(threads: [[.leak(0)], [.locked(0, [.store(0, 1)])]], joins: 2, ordered: false),
        // Balanced locks: a deadlock of t1 and t2, with t3 taking B before or never.
        Program(
            threads: [[.locked(0, [.locked(1, [])])], [.locked(1, [.locked(0, [])])], [.locked(1, [])]], joins: 0,
            ordered: false),
    ])
    func aLockWaiterWhoseHolderNeverReleasesIsAlsoRunFirst(_ program: Program) {
        let comparison = Self.compare(program)
        #expect(comparison.problems.isEmpty, "\(program)\n\(comparison.problems.joined(separator: "\n"))")
    }

    /// The same when main's return ends the execution while t2 waits for A, taken by t1 (who
    /// waits for B, taken by main): the search bounded at two preemptions reaches end states in
    /// which t2 took A first and found B taken by main, which the reduced search must reach too.
    @Test func aLockWaiterCutOffByMainsReturnIsAlsoRunFirst() {
        let program = Program(
            threads: [
                [.locked(0, [.locked(1, [])])], [.load(1), .raiseFlag(0, all: false), .tryLocked(1, [])],
                [.store(1, 3)],
            ],
            main: [.locked(1, [])], joins: 0, exits: true, ordered: true)
        let bounded = Self.explore(program, .exhaustive(preemptions: 2), budget: 20_000)
        let reduced = Self.explore(program, .dpor, budget: Self.reducedBudget)
        #expect(bounded.result.exhausted && reduced.result.exhausted)
        let missing = bounded.outcomes.subtracting(reduced.outcomes)
        #expect(
            missing.isEmpty,
            "\(program)\nmissed in \(reduced.result.schedules) executions:\n\(missing.sorted().joined(separator: "\n"))"
        )
    }
}
