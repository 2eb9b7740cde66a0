import TurnstileRuntime

/// Explores an ``OperationScenario`` on a fresh object under the controlled engine, checks
/// every execution's history for linearizability against a sequential specification, and
/// shrinks a failing scenario (as Lincheck does) by removing operations one at a time while
/// the smaller scenario still fails the same way.
///
/// Each thread of the scenario is a logical thread named `thread 1`, `thread 2`, …; the main
/// thread joins them all. An operation still blocked when the others are done is pending (the
/// plan should allow threads blocked at the end when operations can block, e.g. a `get` on an
/// empty buffer); the linearizability check may place it or leave it out.
///
/// Deterministic: the same scenario and plan give the same failure and the same smallest
/// scenario. Cost: one exploration for the scenario, then at most `shrinkBudget` more.
/// Blocking: runs on the calling thread until done.
public enum ScenarioTester {
    /// A scenario that failed, with the smallest failing scenario the shrinking found.
    public struct Failure<Operation>: CustomStringConvertible {
        /// The scenario as given.
        public var original: OperationScenario<Operation>
        /// The smallest scenario found that fails the same way (the original if none smaller did).
        public var smallest: OperationScenario<Operation>
        /// The smallest scenario's failing execution: its message and trace.
        public var found: FoundFailure
        /// Explorations run to shrink it.
        public var shrinkExplorations: Int

        /// The smallest scenario, then what went wrong in it, then its schedule.
        public var description: String {
            var lines = ["scenario (\(smallest.operationCount) of the \(original.operationCount) operations still fail):"]
            lines.append(smallest.description)
            lines.append(found.failure.description)
            let trace = found.report.renderTrace()
            if !trace.isEmpty { lines.append("schedule:\n" + trace) }
            return lines.joined(separator: "\n")
        }
    }

    /// Explores `scenario` under `plan`, each execution on a new object from `makeObject`,
    /// each operation run with `perform` and recorded; returns nil when every execution was
    /// linearizable and ended without failure, else the failure with the smallest scenario
    /// that still fails the same way.
    ///
    /// - Parameters:
    ///   - scenario: The operations of each thread.
    ///   - plan: The exploration of each scenario (the same for the shrinking).
    ///   - shrinkBudget: The most explorations spent shrinking.
    ///   - makeObject: A fresh object under test, made inside each execution.
    ///   - perform: One operation on the object; its value is what the history records.
    ///   - specification: What the object does when operations run one at a time.
    public static func check<Object: Sendable, State, Operation: Sendable, Value>(
        _ scenario: OperationScenario<Operation>, plan: ExplorationPlan, shrinkBudget: Int = 60,
        makeObject: @escaping () -> Object, perform: @escaping @Sendable (Object, Operation) -> Value,
        specification: SequentialSpecification<State, Operation, Value>
    ) -> Failure<Operation>? {
        func explore(_ candidate: OperationScenario<Operation>) -> FoundFailure? {
            Explorer.exploreScenarios(plan) {
                let history = History<Operation, Value>()
                return Scenario(
                    run: {
                        let object = makeObject()
                        let handles = candidate.threads.enumerated().map { index, operations in
                            Runtime.spawn(name: "thread \(index + 1)") {
                                for operation in operations {
                                    history.call(operation) { perform(object, operation) }
                                }
                            }
                        }
                        for handle in handles { handle.join() }
                    },
                    verify: { _ in
                        LinearizabilityChecker.check(history.entries, against: specification)?.description
                    })
            }.failure
        }
        guard let first = explore(scenario) else { return nil }
        var smallest = scenario
        var found = first
        var explorations = 0
        var shrinking = true
        while shrinking, explorations < shrinkBudget {
            shrinking = false
            for candidate in smallest.oneSmaller where candidate.operationCount > 0 {
                guard explorations < shrinkBudget else { break }
                explorations += 1
                if let failure = explore(candidate), failure.failure.kind == found.failure.kind {
                    smallest = candidate
                    found = failure
                    shrinking = true
                    break
                }
            }
        }
        return Failure(original: scenario, smallest: smallest, found: found, shrinkExplorations: explorations)
    }
}
