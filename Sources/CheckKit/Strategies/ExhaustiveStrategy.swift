import TurnstileRuntime

/// Bounded exhaustive search: depth-first over every decision, with at most
/// `preemptionBound` preemptions (switching away from a thread that could have continued)
/// per execution — the bound that finds most concurrency bugs with small search trees
/// (Musuvathi and Qadeer, PLDI 2007).
///
/// Decisions are ordered "keep running the current thread" first, so the first execution is
/// the non-preemptive one; at a yield the current thread goes last instead, and going on past
/// one's own yield counts as a preemption. That is the fair search of CHESS (a yielding thread
/// has the lowest priority) bounded like the rest: a spin-with-yield loop that waits for
/// another thread is not run to the step bound, and a real livelock (one that needs no unfair
/// choice) is still found. ``isExhausted`` turns true when every schedule within the bound
/// has been run. Meant for tiny cases (two or three threads, a few operations each).
public final class ExhaustiveStrategy: SchedulingStrategy {
    private struct Node {
        var taken: Int
        let count: Int
        let point: Point
        let preemptionsBefore: Int

        /// Whether taking alternative `index` here costs a preemption.
        func costs(_ index: Int) -> Bool {
            switch point {
            case .free: false
            // Switching away from a thread that could go on.
            case .preemption: index > 0
            // Going on past one's own yield instead of letting the others run first.
            case .yield: index == count - 1
            }
        }
    }

    /// What kind of decision a node is.
    private enum Point { case free, preemption, yield }

    private let preemptionBound: Int
    private var stack: [Node] = []
    private var depth = 0
    private var preemptions = 0
    /// Whether every schedule within the preemption bound has been run; the explorer then stops.
    public private(set) var isExhausted = false

    /// Creates a search with at most `preemptionBound` preemptions per schedule.
    public init(preemptionBound: Int = 2) {
        self.preemptionBound = preemptionBound
    }

    private var executed = false

    /// Starts an execution; if the previous one was not finished with ``finishExecution()``,
    /// first moves to the next schedule. `index` is not used.
    public func beginExecution(_ index: Int) {
        if executed { finishExecution() }
        executed = true
        depth = 0
        preemptions = 0
    }

    /// Takes the choice the current schedule prescribes at this depth; at a new depth, the first
    /// in order (the current thread's `.run` first), recording it for backtracking.
    public func choose(_ choices: [Choice], context: DecisionContext) -> Int {
        let order = ordered(choices, context)
        let point: Point =
            context.kind != .schedule || !context.currentEnabled ? .free : context.yielding ? .yield : .preemption
        if depth == stack.count {
            stack.append(Node(taken: 0, count: order.count, point: point, preemptionsBefore: preemptions))
        }
        let node = stack[depth]
        depth += 1
        if node.costs(node.taken) { preemptions += 1 }
        return order[min(node.taken, order.count - 1)]
    }

    /// Choice indices, the current thread's `.run` first — except at a yield or spin hint,
    /// where the current thread goes last: a thread that yields is waiting for another to act,
    /// so the first schedule lets the others run (as CHESS's fair scheduler does), and a
    /// correct spin-with-yield loop is not run to the step bound and called a livelock.
    private func ordered(_ choices: [Choice], _ context: DecisionContext) -> [Int] {
        guard context.kind == .schedule,
            let first = choices.firstIndex(of: .run(context.current))
        else { return Array(choices.indices) }
        let others = choices.indices.filter { $0 != first }
        return context.yielding ? others + [first] : [first] + others
    }

    /// Moves to the next schedule; the same as ``finishExecution()``.
    public func endExecution() { finishExecution() }

    /// Moves to the next schedule (called between executions; idempotent until the next
    /// execution begins). Sets ``isExhausted`` when there is none.
    public func finishExecution() {
        guard executed else { return }
        executed = false
        stack.removeSubrange(min(depth, stack.count)...)
        while var node = stack.popLast() {
            let cost = node.costs(node.taken + 1) ? 1 : 0
            if node.taken + 1 < node.count, node.preemptionsBefore + cost <= preemptionBound {
                node.taken += 1
                stack.append(node)
                return
            }
        }
        isExhausted = true
    }
}
