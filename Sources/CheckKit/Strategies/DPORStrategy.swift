import TurnstileRuntime

/// Exhaustive search with dynamic partial-order reduction: every schedule of the program up to
/// the reordering of independent steps, with no preemption bound.
///
/// The algorithm is source-set DPOR with sleep sets (Abdulla, Aronis, Jonsson and Sagonas,
/// "Optimal dynamic partial order reduction", POPL 2014, algorithm 1). Two steps are dependent
/// when they touch the same runtime object and at least one changes it: every lock and
/// condition operation changes its object, a load reads it, a store or read-modify-write
/// changes it; a thread's finish changes the thread and a join reads it. After each execution
/// the search finds every pair of dependent steps of different threads that are not ordered
/// through other steps (a race), and schedules, at the point before the first of them, a thread
/// that can start the reversed order, unless one that does is already scheduled or done there.
/// Sleep sets skip a thread whose next step was already explored from an earlier point and is
/// independent of everything run since. Choices that are not scheduling (which waiter a
/// `signal` wakes, whether a wait wakes spuriously) are all explored, as in plain search.
///
/// The result is a claim about equivalence classes: when ``isExhausted`` turns true, every
/// schedule of the program has been run or is equivalent to one that was (same order of every
/// pair of dependent steps, so the same values read and the same end state). The claim holds
/// for programs whose threads share state through runtime objects (``Lock``, ``Condition``,
/// ``Shared``, ``AtomicInt``) or through plain memory protected by runtime locks; accesses to
/// unprotected plain memory are invisible to it (random and PCT checks, and native stress,
/// cover those).
///
/// Fairness: a thread that yields or spins (`Runtime.yield()`, `Runtime.spinHint()`) is not
/// scheduled at that point while another thread can run, as CHESS's fair scheduler gives a
/// yielding thread the lowest priority; so a correct spin-with-yield loop does not make the
/// search run one thread to the step bound, and a real livelock (no thread can make progress)
/// is still reported.
///
/// A main thread whose return ends the execution (``ExecutionOptions/mainReturnEndsExecution``,
/// a C `main` returning) is modelled as a step that changes the process, which every step of
/// every other thread reads; the threads it cut off are explored before it.
///
/// Sequential consistency only: under the TSO simulation use ``ExhaustiveStrategy``.
/// Not thread-safe; one exploration per instance.
public final class DPORStrategy: SchedulingStrategy {
    /// One object a step touched.
    struct Access: Equatable {
        let object: Int
        let isWrite: Bool
    }

    /// A scheduling point on the current path.
    struct SchedulePoint {
        /// Threads that may be scheduled here (a yielding thread left out while others can run).
        var enabled: [Int]
        /// The thread the current path runs here.
        var chosen: Int
        /// Threads to explore from here (includes the chosen and those done).
        var backtrack: Set<Int>
        /// Threads explored from here already, with the step each ran.
        var done: [Int: [Access]]
        /// Threads not to run here: their next step was explored from an earlier point and is
        /// independent of everything since.
        var sleep: [Int: [Access]]
    }

    /// A point on the current path: a scheduling point, or a choice that is not scheduling.
    enum Point {
        case schedule(SchedulePoint)
        case data(taken: Int, count: Int)
    }

    /// A step of the current execution: from one scheduling point to the next.
    struct Step {
        let thread: Int
        /// Index in `path` of the scheduling point that chose it; -1 for main's first step.
        let point: Int
        var accesses: [Access] = []
    }

    private var path: [Point] = []
    private var position = 0
    private var steps: [Step] = []
    /// For each thread created in this execution: the step during which it was created.
    private var createdDuring: [Int: Int] = [:]
    private var executed = false

    /// Whether every schedule, up to equivalence, has been run.
    public private(set) var isExhausted = false

    /// Creates a search.
    public init() {}

    /// Always true: the search needs every scheduling point and every access.
    public var observesDependencies: Bool { true }

    /// Starts an execution: replays the current path, then extends it. Moves to the next
    /// schedule first if ``endExecution()`` was not called after the previous one.
    public func beginExecution(_ index: Int) {
        if executed { endExecution() }
        executed = true
        position = 0
        steps = [Step(thread: 0, point: -1)]
        createdDuring = [:]
    }

    /// Records that thread `id` was created during the step in progress (its steps happen after it).
    public func threadCreated(_ id: Int) {
        if id > 0 { createdDuring[id] = steps.count - 1 }
    }

    /// Adds an access to the step in progress (a write supersedes a read of the same object).
    public func accessed(_ object: Int, isWrite: Bool) {
        let access = Access(object: object, isWrite: isWrite)
        guard !steps.isEmpty else { return }
        let last = steps.count - 1
        if let existing = steps[last].accesses.firstIndex(where: { $0.object == object }) {
            if isWrite, !steps[last].accesses[existing].isWrite { steps[last].accesses[existing] = access }
        } else {
            steps[last].accesses.append(access)
        }
    }

    /// Replays the path's choice at this point, or takes a new one: the current thread if it
    /// may run and is not asleep, else the lowest-numbered awake thread; returns
    /// `abandonExecution` when every thread that may run is asleep.
    public func choose(_ choices: [Choice], context: DecisionContext) -> Int {
        guard context.kind == .schedule else { return chooseData(count: choices.count) }
        var enabled: [Int] = choices.compactMap { if case .run(let id) = $0 { id } else { nil } }
        if context.yielding, enabled.count > 1 { enabled.removeAll { $0 == context.current } }
        let chosen: Int
        if position < path.count, case .schedule(let point) = path[position], choices.contains(.run(point.chosen)) {
            chosen = point.chosen
        } else {
            // A new point, or a replay that went another way (code that reads a clock or a
            // random number): the search goes on from here rather than stopping the check.
            path.removeSubrange(position...)
            let sleep = sleepForNewPoint()
            let awake = enabled.filter { sleep[$0] == nil }
            guard !awake.isEmpty else { return abandonExecution }
            chosen = awake.contains(context.current) ? context.current : awake[0]
            path.append(.schedule(SchedulePoint(
                enabled: enabled, chosen: chosen, backtrack: [chosen], done: [:], sleep: sleep)))
        }
        steps.append(Step(thread: chosen, point: position))
        position += 1
        return choices.firstIndex(of: .run(chosen))!
    }

    private func chooseData(count: Int) -> Int {
        if position < path.count, case .data(let taken, _) = path[position] {
            position += 1
            return min(taken, count - 1)
        }
        path.removeSubrange(position...)
        path.append(.data(taken: 0, count: count))
        position += 1
        return 0
    }

    /// The sleep set of a scheduling point about to be added: the previous point's sleeping and
    /// done threads whose step is independent of the step just run.
    private func sleepForNewPoint() -> [Int: [Access]] {
        let last = steps[steps.count - 1]
        guard last.point >= 0, case .schedule(let previous) = path[last.point] else { return [:] }
        var sleep: [Int: [Access]] = [:]
        for (thread, accesses) in previous.sleep.merging(previous.done, uniquingKeysWith: { a, _ in a })
        where thread != last.thread && !Self.dependent(accesses, last.accesses) {
            sleep[thread] = accesses
        }
        return sleep
    }

    static func dependent(_ a: [Access], _ b: [Access]) -> Bool {
        for x in a {
            for y in b where x.object == y.object && (x.isWrite || y.isWrite) { return true }
        }
        return false
    }

    /// Adds backtracking points for the races of the execution just run, then moves to the next
    /// schedule; sets ``isExhausted`` when there is none. Idempotent until the next execution.
    public func endExecution() {
        guard executed else { return }
        executed = false
        addBacktrackPoints()
        path.removeSubrange(min(position, path.count)...)
        var stepAtPoint = [Int](repeating: -1, count: path.count)
        for (index, step) in steps.enumerated() where step.point >= 0 && step.point < path.count {
            stepAtPoint[step.point] = index
        }
        while let last = path.popLast() {
            switch last {
            case .data(let taken, let count):
                if taken + 1 < count {
                    path.append(.data(taken: taken + 1, count: count))
                    return
                }
            case .schedule(var point):
                let index = path.count
                if stepAtPoint[index] >= 0 { point.done[point.chosen] = steps[stepAtPoint[index]].accesses }
                let candidates = point.backtrack.subtracting(point.done.keys).filter { point.sleep[$0] == nil }
                if let next = candidates.min() {
                    point.chosen = next
                    path.append(.schedule(point))
                    return
                }
            }
        }
        isExhausted = true
    }

    // MARK: Races

    /// Vector clocks of the execution's steps (happens-before: program order, creation, and
    /// every pair of dependent steps in execution order), and every race among them; each race
    /// adds a thread to the backtrack set of the point before its first step.
    private func addBacktrackPoints() {
        let threadCount = (steps.map(\.thread).max() ?? 0) + 1
        var clocks: [[Int]] = []
        clocks.reserveCapacity(steps.count)
        var local: [Int] = []  // each step's index among its thread's steps, from 1
        var counts = [Int](repeating: 0, count: threadCount)
        var lastOfThread = [Int](repeating: -1, count: threadCount)
        var lastWrite: [Int: Int] = [:]
        var readsSince: [Int: [Int]] = [:]
        var races: [(Int, Int)] = []
        for (j, step) in steps.enumerated() {
            let t = step.thread
            var clock: [Int]
            if lastOfThread[t] >= 0 {
                clock = clocks[lastOfThread[t]]
            } else if let parent = createdDuring[t] {
                clock = clocks[parent]
            } else {
                clock = [Int](repeating: 0, count: threadCount)
            }
            var predecessors: [Int] = []
            for access in step.accesses {
                if let write = lastWrite[access.object] { predecessors.append(write) }
                if access.isWrite, let reads = readsSince[access.object] { predecessors.append(contentsOf: reads) }
            }
            for i in Set(predecessors) where steps[i].thread != t {
                // A race unless i is ordered before j through another path.
                var other = clock
                for p in predecessors where p != i { Self.join(&other, clocks[p]) }
                if other[steps[i].thread] < local[i] { races.append((i, j)) }
            }
            for p in predecessors { Self.join(&clock, clocks[p]) }
            counts[t] += 1
            clock[t] = counts[t]
            clocks.append(clock)
            local.append(counts[t])
            lastOfThread[t] = j
            for access in step.accesses {
                if access.isWrite {
                    lastWrite[access.object] = j
                    readsSince[access.object] = nil
                } else {
                    readsSince[access.object, default: []].append(j)
                }
            }
        }
        for (i, j) in races { reverse(i, j, clocks: clocks, local: local, threadCount: threadCount) }
        backtrackBeforeProcessExit()
    }

    /// When the main thread's return ended the execution (``ExecutionOptions/mainReturnEndsExecution``),
    /// the steps it cut off never ran, so no race shows them: every thread that could run at
    /// the point before the exit (and is not asleep there) is explored there too, its next step
    /// being dependent on the exit (it reads ``ControlledScheduler/processExitSerial``).
    private func backtrackBeforeProcessExit() {
        guard let last = steps.last, last.point >= 0,
            last.accesses.contains(Access(object: ControlledScheduler.processExitSerial, isWrite: true)),
            case .schedule(var point) = path[last.point]
        else { return }
        point.backtrack.formUnion(point.enabled.filter { $0 != last.thread && point.sleep[$0] == nil })
        path[last.point] = .schedule(point)
    }

    /// Makes sure that from the point before step `i` some thread is explored that starts the
    /// order in which step `j` runs before step `i` (a source set for the reversed race).
    private func reverse(_ i: Int, _ j: Int, clocks: [[Int]], local: [Int], threadCount: Int) {
        let pointIndex = steps[i].point
        guard pointIndex >= 0, case .schedule(var point) = path[pointIndex] else { return }
        let ti = steps[i].thread
        // v: the steps after i that do not happen after i, then j. Its initials: threads whose
        // first step in v has no predecessor in v.
        var firstLocal = [Int](repeating: Int.max, count: threadCount)
        var firstStep = [Int](repeating: -1, count: threadCount)
        for k in (i + 1)...j where k == j || clocks[k][ti] < local[i] {
            let u = steps[k].thread
            if firstStep[u] < 0 {
                firstStep[u] = k
                firstLocal[u] = local[k]
            }
        }
        var initials: [Int] = []
        for u in 0..<threadCount where firstStep[u] >= 0 {
            let clock = clocks[firstStep[u]]
            var hasPredecessor = false
            for w in 0..<threadCount where w != u && firstStep[w] >= 0 && clock[w] >= firstLocal[w] {
                hasPredecessor = true
                break
            }
            if !hasPredecessor { initials.append(u) }
        }
        if initials.contains(where: { point.backtrack.contains($0) }) { return }
        let tj = steps[j].thread
        let pick = initials.contains(tj) ? tj : initials.first
        if let pick, point.enabled.contains(pick) {
            point.backtrack.insert(pick)
        } else {
            // The reversal cannot start with a thread that may run there (a yielding thread
            // left out, or a dependency the runtime does not see): explore them all.
            point.backtrack.formUnion(point.enabled)
        }
        path[pointIndex] = .schedule(point)
    }

    private static func join(_ into: inout [Int], _ other: [Int]) {
        for index in other.indices where other[index] > into[index] { into[index] = other[index] }
    }
}
