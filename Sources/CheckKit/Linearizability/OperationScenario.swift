import TurnstileRuntime

/// A concurrent scenario on one shared object, as Lincheck writes them: for each thread, the
/// operations it calls in order. Explored under the controlled engine and checked for
/// linearizability by ``ScenarioTester``, which shrinks a failing scenario to a smallest one
/// that still fails.
public struct OperationScenario<Operation>: CustomStringConvertible {
    /// Each thread's operations, in the order it calls them.
    public var threads: [[Operation]]

    /// Creates a scenario from each thread's operations.
    public init(threads: [[Operation]]) {
        self.threads = threads
    }

    /// A random scenario: `threads` threads of `operations` operations each, every operation
    /// drawn by `draw` from a generator seeded with `seed` (the same seed, the same scenario).
    public static func random(
        threads: Int, operations: Int, seed: UInt64, draw: (inout SeededGenerator) -> Operation
    ) -> OperationScenario {
        var generator = SeededGenerator(seed: seed)
        return OperationScenario(threads: (0..<threads).map { _ in (0..<operations).map { _ in draw(&generator) } })
    }

    /// How many operations all threads call together.
    public var operationCount: Int { threads.reduce(0) { $0 + $1.count } }

    /// Every scenario with one operation fewer (a thread left with none is dropped), the later
    /// operations of each thread first: the candidates a shrinking step tries, in order.
    public var oneSmaller: [OperationScenario] {
        var smaller: [OperationScenario] = []
        for thread in threads.indices {
            for index in threads[thread].indices.reversed() {
                var copy = threads
                copy[thread].remove(at: index)
                if copy[thread].isEmpty { copy.remove(at: thread) }
                smaller.append(OperationScenario(threads: copy))
            }
        }
        return smaller
    }

    /// One line per thread: `thread 1: put(1), get()`.
    public var description: String {
        threads.enumerated().map { index, operations in
            "thread \(index + 1): " + operations.map { "\($0)" }.joined(separator: ", ")
        }.joined(separator: "\n")
    }
}

extension OperationScenario: Sendable where Operation: Sendable {}
extension OperationScenario: Equatable where Operation: Equatable {}
