import TurnstileRuntime

/// Iterative schedule bounding: every schedule with no preemption (or delay), then every one
/// with exactly one, then two, up to a maximum — iterative preemption bounding (IPB,
/// Musuvathi and Qadeer, PLDI 2007) and iterative delay bounding (IDB, Emmi, Qadeer and
/// Rakamarić, POPL 2011), as compared in SCTBench (Thomson, Donaldson and Betts, PPoPP 2014).
///
/// The search finds a bug with the fewest preemptions (delays) it needs, and each completed
/// bound is a guarantee: ``completedBound`` is the largest bound all of whose schedules ran.
/// Unlike a depth-first search with a fixed bound (``ExhaustiveStrategy``), which spends its
/// budget permuting the last steps, a one-preemption bug early in a long execution is reached
/// once the (small) zero- and one-preemption levels before it are done.
///
/// How each schedule is generated exactly once: within a level the search is depth-first over
/// the choices that cost nothing (a blocked thread's successor, which waiter a signal wakes);
/// a choice that costs `c` is not taken but deferred to level `current + c`, as a prefix of the
/// execution that met it. A level runs every prefix deferred to it, each followed by the same
/// depth-first search. A schedule's last costly choice is the one prefix it descends from.
///
/// Costs. *Preemptions*: switching away from a thread that could go on costs 1, as does going
/// on past one's own yield or spin hint (the others run first there: the fair order of CHESS);
/// every choice is free when the current thread is blocked or done. *Delays*: the
/// deterministic scheduler runs the current thread until it blocks, yields or ends, then the
/// next enabled thread in round-robin order of thread ids; taking the `j`-th thread after that
/// one in round-robin order costs `j` delays. Decisions other than which thread runs are free.
///
/// Memory: the prefixes waiting for a higher level are kept as references into the executions
/// that deferred them (16 bytes per deferring decision and level, plus each such execution's
/// choices). Past ``maximumDeferred`` prefixes the search stops deferring, and the levels it
/// would have fed are reported incomplete, never claimed.
public final class IterativeBoundingStrategy: SchedulingStrategy {
    /// What a choice costs.
    public enum Measure: String, Sendable, Hashable, Codable {
        /// Preemptions: switching away from a thread that could have continued.
        case preemptions
        /// Delays: skipping threads of the deterministic round-robin scheduler.
        case delays
    }

    /// One decision of the depth-first search below the current level's prefix.
    private struct Node {
        /// The position (in `order`) the current schedule takes.
        var taken: Int
        /// Positions `0..<free` cost nothing; the search backtracks over them.
        let free: Int
    }

    /// Choices deferred to a level: positions `from..<to` at `depth` of stored execution
    /// `execution` (its positions before `depth` are the prefix).
    private struct Deferred {
        let execution: Int32
        let depth: Int32
        let from: Int32
        let to: Int32
    }

    /// The most deferred prefixes kept (about 64 MiB); beyond it, levels are left incomplete.
    public static let maximumDeferred = 4_000_000

    private let measure: Measure
    private let maximumBound: Int
    /// Executions some deferred prefix refers to: the order position taken at each decision.
    private var stored: [[Int32]] = []
    /// Deferred prefixes by level, each level consumed front to back.
    private var pending: [[Deferred]]
    private var pendingCount = 0
    private var cursor = 0
    /// The level whose schedules run now.
    public private(set) var level = 0
    /// The prefix forced before the search's own decisions, and the deferred entry it came from.
    private var prefix: [Int32] = []
    private var entry: Deferred?
    private var entryPosition: Int32 = 0
    private var stack: [Node] = []
    private var depth = 0
    private var positions: [Int32] = []
    private var deferredHere = false
    private var executed = false
    /// The lowest level a deferral was refused for (memory), if any.
    private var truncatedFrom: Int?
    /// Whether a level was left incomplete for memory (``maximumDeferred``): the search may end
    /// (``isExhausted``) without having run every schedule up to the maximum bound.
    public var isTruncated: Bool { truncatedFrom != nil }
    /// Whether every schedule up to the maximum bound has run; the explorer then stops.
    public private(set) var isExhausted = false

    /// Searches every schedule with at most `maximumBound` preemptions or delays, level by level.
    public init(measure: Measure, maximumBound: Int) {
        self.measure = measure
        self.maximumBound = max(0, maximumBound)
        pending = Array(repeating: [], count: self.maximumBound + 1)
    }

    /// The largest bound every one of whose schedules has run (nil before level 0 completes).
    public var completedBound: Int? {
        let done = isExhausted ? maximumBound : level - 1
        let honest = truncatedFrom.map { min(done, $0 - 1) } ?? done
        return honest >= 0 ? honest : nil
    }

    /// Starts an execution; if the previous one was not finished with ``endExecution()``,
    /// first moves to the next schedule. `index` is not used.
    public func beginExecution(_ index: Int) {
        if executed { advance() }
        executed = true
        depth = 0
        positions.removeAll(keepingCapacity: true)
        deferredHere = false
    }

    /// Takes the prefix's choice at its depths; below it, the search's current choice, deferring
    /// every costly alternative of a decision met for the first time.
    public func choose(_ choices: [Choice], context: DecisionContext) -> Int {
        let (order, costs) = arrange(choices, context)
        defer { depth += 1 }
        if depth < prefix.count {
            let position = min(Int(prefix[depth]), order.count - 1)
            positions.append(Int32(position))
            return order[position]
        }
        let index = depth - prefix.count
        if index == stack.count {
            let free = costs.firstIndex { $0 > 0 } ?? costs.count
            stack.append(Node(taken: 0, free: free))
            deferAlternatives(costs)
        }
        let position = min(stack[index].taken, order.count - 1)
        positions.append(Int32(position))
        return order[position]
    }

    /// Moves to the next schedule.
    public func endExecution() {
        guard executed else { return }
        advance()
    }

    private func advance() {
        executed = false
        if deferredHere { stored.append(positions) }
        stack.removeSubrange(min(max(0, depth - prefix.count), stack.count)...)
        while var node = stack.popLast() {
            if node.taken + 1 < node.free {
                node.taken += 1
                stack.append(node)
                return
            }
        }
        nextPrefix()
    }

    /// Takes the next deferred prefix of this level, or of the next level that has one.
    private func nextPrefix() {
        while true {
            if let current = entry, entryPosition + 1 < current.to {
                entryPosition += 1
                start(current)
                return
            }
            entry = nil
            guard level <= maximumBound else {
                isExhausted = true
                return
            }
            if cursor < pending[level].count {
                let next = pending[level][cursor]
                cursor += 1
                entryPosition = next.from
                start(next)
                return
            }
            pendingCount -= pending[level].count
            pending[level] = []
            level += 1
            cursor = 0
        }
    }

    private func start(_ deferred: Deferred) {
        entry = deferred
        let execution = stored[Int(deferred.execution)]
        prefix = Array(execution[0..<Int(deferred.depth)]) + [entryPosition]
        stack = []
    }

    /// Files the costly alternatives of the decision just met under the levels they cost.
    private func deferAlternatives(_ costs: [Int]) {
        var position = costs.firstIndex { $0 > 0 } ?? costs.count
        while position < costs.count {
            let cost = costs[position]
            var end = position
            while end < costs.count, costs[end] == cost { end += 1 }
            let target = level + cost
            // Costs never decrease along the order: nothing further fits either.
            guard target <= maximumBound else { break }
            if pendingCount < Self.maximumDeferred {
                pending[target].append(
                    Deferred(execution: Int32(stored.count), depth: Int32(depth), from: Int32(position), to: Int32(end)))
                pendingCount += 1
                deferredHere = true
            } else {
                truncatedFrom = min(truncatedFrom ?? target, target)
            }
            position = end
        }
    }

    /// The choices in the search's order, with what each costs (never decreasing, the first 0).
    private func arrange(_ choices: [Choice], _ context: DecisionContext) -> (order: [Int], costs: [Int]) {
        guard context.kind == .schedule else { return (Array(choices.indices), Array(repeating: 0, count: choices.count)) }
        switch measure {
        case .preemptions:
            guard let first = choices.firstIndex(of: .run(context.current)) else {
                return (Array(choices.indices), Array(repeating: 0, count: choices.count))
            }
            let others = choices.indices.filter { $0 != first }
            if context.yielding {
                return (others + [first], Array(repeating: 0, count: others.count) + [1])
            }
            return ([first] + others, [0] + Array(repeating: 1, count: others.count))
        case .delays:
            // Round-robin from the current thread (when it goes on) or the one after it.
            let threads = choices.compactMap { if case .run(let id) = $0 { id } else { nil } }
            let span = max(threads.max() ?? 0, context.current) + 1
            let start = context.currentEnabled && !context.yielding ? context.current : context.current + 1
            let distance = { (id: Int) in ((id - start) % span + span) % span }
            let runs = choices.indices.filter { if case .run = choices[$0] { true } else { false } }
                .sorted { distance(threadID(choices[$0])) < distance(threadID(choices[$1])) }
            let rest = choices.indices.filter { if case .run = choices[$0] { false } else { true } }
            let order = runs + rest
            return (order, Array(order.indices))
        }
    }

    private func threadID(_ choice: Choice) -> Int {
        if case .run(let id) = choice { return id }
        return 0
    }
}
