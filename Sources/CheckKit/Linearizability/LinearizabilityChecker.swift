/// Decides whether a concurrent history is linearizable (Herlihy & Wing, 1990): whether its
/// operations can be put in one order that respects real time (an operation that returned
/// before another was called comes first) and in which the sequential specification gives every
/// returned value.
///
/// The search is Wing & Gong's, with the memoization of Lowe (2017) and Porcupine: a set of
/// operations already placed together with the state they lead to is explored once. Pending
/// operations (still blocked when the execution ended) may be placed, with any value, or left
/// out. Cost: exponential in the worst case, in practice fast for the few dozen operations of
/// a check; at most 64 operations.
public enum LinearizabilityChecker {
    /// Why a history is not linearizable.
    public struct Violation: Sendable, CustomStringConvertible {
        /// The history, one line per operation in call order: `t1  get() → 3   [4, 9]`.
        public var history: [String]
        /// The longest order found that explains a prefix: operations as in ``history``.
        public var longestPrefix: [String]
        /// The operations none of which could come next after that prefix.
        public var stuck: [String]

        /// The history and where every attempt to order it got stuck, for a failure message.
        public var description: String {
            var lines = ["not linearizable: no order of these operations, consistent with when each was called and returned, gives the values they returned"]
            lines.append("history (call order; [call, return] moments):")
            lines += history.map { "  " + $0 }
            lines.append(longestPrefix.isEmpty
                ? "no operation can come first"
                : "the longest explainable start: " + longestPrefix.joined(separator: "; "))
            if !stuck.isEmpty { lines.append("none of these can come next: " + stuck.joined(separator: "; ")) }
            return lines.joined(separator: "\n")
        }
    }

    /// Checks `entries` against `specification`: nil if linearizable, else the violation.
    /// - Precondition: at most 64 operations.
    public static func check<State, Operation, Value>(
        _ entries: [History<Operation, Value>.Entry], against specification: SequentialSpecification<State, Operation, Value>
    ) -> Violation? {
        precondition(entries.count <= 64, "a linearizability check handles at most 64 operations; use fewer per scenario")
        var search = Search(entries: entries, specification: specification)
        if search.run() { return nil }
        let describe = { (index: Int) in Self.describe(entries[index]) }
        return Violation(
            history: entries.map(Self.describe), longestPrefix: search.bestPrefix.map(describe),
            stuck: search.bestStuck.map(describe))
    }

    static func describe<Operation, Value>(_ entry: History<Operation, Value>.Entry) -> String {
        let value = entry.value.map { " → \($0)" } ?? " (pending)"
        let returned = entry.returned.map(String.init) ?? "…"
        return "\(entry.thread)  \(entry.operation)\(value)  [\(entry.called), \(returned)]"
    }

    private struct Search<State: Hashable, Operation, Value: Equatable> {
        struct Key: Hashable {
            var placed: UInt64
            var state: State
        }

        let entries: [History<Operation, Value>.Entry]
        let specification: SequentialSpecification<State, Operation, Value>
        let completed: UInt64
        var failed: Set<Key> = []
        var prefix: [Int] = []
        var bestPrefix: [Int] = []
        var bestStuck: [Int] = []

        init(entries: [History<Operation, Value>.Entry], specification: SequentialSpecification<State, Operation, Value>) {
            self.entries = entries
            self.specification = specification
            var completed: UInt64 = 0
            for (index, entry) in entries.enumerated() where entry.returned != nil { completed |= 1 << UInt64(index) }
            self.completed = completed
        }

        mutating func run() -> Bool { place(placed: 0, state: specification.initial) }

        /// Operations that may come next: not placed, and no unplaced completed operation
        /// returned before they were called.
        func candidates(placed: UInt64) -> [Int] {
            let firstReturn = entries.indices
                .filter { placed & (1 << UInt64($0)) == 0 && entries[$0].returned != nil }
                .map { entries[$0].returned! }.min() ?? Int.max
            return entries.indices.filter { placed & (1 << UInt64($0)) == 0 && entries[$0].called < firstReturn }
        }

        mutating func place(placed: UInt64, state: State) -> Bool {
            if placed & completed == completed { return true }
            let key = Key(placed: placed, state: state)
            if failed.contains(key) { return false }
            let next = candidates(placed: placed)
            for index in next {
                guard let (after, value) = specification.apply(state, entries[index].operation) else { continue }
                if let returned = entries[index].value, returned != value { continue }
                prefix.append(index)
                if place(placed: placed | (1 << UInt64(index)), state: after) { return true }
                prefix.removeLast()
            }
            if prefix.count > bestPrefix.count || bestPrefix.isEmpty && bestStuck.isEmpty {
                bestPrefix = prefix
                bestStuck = next.filter { entries[$0].returned != nil }
            }
            failed.insert(key)
            return false
        }
    }
}
