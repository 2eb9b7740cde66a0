/// Explains a deadlock: who waits for what, held by whom, and the cycle if there is one.
struct DeadlockAnalysis {
    /// One line per waiting thread: `consumer-1 → lock "buffer" → held by producer`.
    var lines: [String] = []
    /// A one-sentence summary naming the cycle or the lost wakeup.
    var summary: String

    init(threads: [LogicalThread], scheduler: ControlledScheduler) {
        var waitsFor: [Int: Int] = [:]
        var conditionWaiters: [String] = []
        for thread in threads {
            guard case .blocked(let reason) = thread.state else { continue }
            switch reason {
            case .lock(let lock):
                let label = lock.controlledLabel(scheduler)
                if lock.controlledOwner >= 0 {
                    waitsFor[thread.id] = lock.controlledOwner
                    lines.append("\(thread.name) → lock \(label) → held by \(threads[lock.controlledOwner].name)")
                } else {
                    lines.append("\(thread.name) → lock \(label) → free but never retried")
                }
            case .condition(let condition):
                let label = condition.controlledLabel(scheduler)
                conditionWaiters.append(thread.name)
                lines.append("\(thread.name) → condition \(label) → nobody left to signal it")
            case .join(let target):
                waitsFor[thread.id] = target
                lines.append("\(thread.name) → join → \(threads[target].name)")
            case .quiescence:
                // Never part of a deadlock: it is runnable whenever nobody else is.
                continue
            case .awaitingChange:
                lines.append("\(thread.name) → spins, waiting for a value that no running thread will change")
            }
        }
        if let cycle = Self.findCycle(waitsFor) {
            let names = (cycle + [cycle[0]]).map { threads[$0].name }
            summary = "circular wait \(names.joined(separator: " → "))"
        } else if !conditionWaiters.isEmpty {
            summary = "\(conditionWaiters.joined(separator: ", ")) wait on a condition that no running thread will signal (a lost wakeup, or signal where broadcast was needed)"
        } else {
            summary = "nobody can run and not every thread finished"
        }
    }

    private static func findCycle(_ edges: [Int: Int]) -> [Int]? {
        for start in edges.keys.sorted() {
            var path: [Int] = []
            var node = start
            while let next = edges[node] {
                if let index = path.firstIndex(of: node) { return Array(path[index...]) }
                path.append(node)
                node = next
            }
            if let index = path.firstIndex(of: node) { return Array(path[index...]) }
        }
        return nil
    }
}
