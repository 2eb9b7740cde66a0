import TurnstileRuntime

/// A set of checks written the XCTest way: one method per check, assertions inside it, and the
/// check's points, visibility and engine budget declared beside it.
///
/// ```swift
/// final class CounterChecks: CheckCase {
///     var counter: (any CounterUnderTest)!
///     override func setUp() { counter = Submission.makeCounter() }
///
///     func twoThreads() {
///         let handles = (0..<2).map { _ in Runtime.spawn { counter.increment() } }
///         for handle in handles { handle.join() }
///     }
///     override func tearDown() { CheckAssertEqual(counter.value, 2, "lost increments") }
///
///     override class var checks: [CheckDefinition] {
///         [check("two-threads", "two threads, one increment each", points: 40, .public,
///                .controlled(ExplorationPlan(strategy: .random, seed: 1, schedules: 500)), CounterChecks.twoThreads)]
///     }
/// }
/// ```
///
/// Each execution (each schedule, or each native iteration) gets a fresh instance: `setUp` and
/// the method run as the main logical thread, under the engine; `tearDown` runs after the
/// execution ended, to assert on the end state. An assertion that fails in the method ends the
/// execution at once (controlled engine) with the assertion's message and its file and line; one
/// that fails in `tearDown` fails the execution after the fact. Points and visibility declared
/// here must equal the manifest's (`turnstile validate` compares them); the manifest stays what
/// grading reads.
///
/// Not thread-safe itself: the engine runs one execution at a time per process.
open class CheckCase: @unchecked Sendable {
    // Safety: one instance per execution; its threads are the execution's logical threads.

    /// The execution's report (threads still blocked at its end, its trace), for ``tearDown()``;
    /// nil while the check method runs.
    public internal(set) var report: ExecutionReport?

    /// Creates the instance one execution uses.
    public required init() {}

    /// End-state assertions the check method registered with ``atEnd(_:)``.
    private var endStateChecks: [(ExecutionReport) -> Void] = []

    /// Registers assertions on the end state, run after the execution ended (before
    /// ``tearDown()``): for what is final only then, such as threads left blocked or a count a
    /// still-blocked thread could have changed.
    public func atEnd(_ body: @escaping (ExecutionReport) -> Void) { endStateChecks.append(body) }

    /// Waits until every other thread of the execution is asleep (blocked on a lock, a
    /// condition, a join, or a spin awaiting a change) or finished, so what the check looks at
    /// next cannot change until it acts. Use it to know that a thread is *waiting* for
    /// something, as the engine sees it, without asking the code under test.
    ///
    /// Controlled engine only, and not under the `.dpor` strategy.
    public func awaitQuiescence(file: StaticString = #fileID, line: UInt = #line) {
        Runtime.awaitQuiescence(file: file, line: line)
    }

    /// Prepares one execution; runs under the engine, on the main logical thread.
    open func setUp() {}

    /// Judges one execution's end state, after it ended; assertions here fail the execution.
    open func tearDown() {}

    /// The checks of this case, in the order the manifest lists them; build each with
    /// ``check(_:_:explanation:points:_:_:_:)``.
    open class var checks: [CheckDefinition] { [] }

    /// A check that runs `method` on a fresh instance per execution under `mode`.
    /// - Parameters:
    ///   - id: The check's id, as the manifest names it.
    ///   - title: One line for people.
    ///   - explanation: What the check exercises and what a failure usually means.
    ///   - points: The points the manifest must give it (0 for a check on real threads).
    ///   - property: What it checks, recorded with an assertion failure (the validator requires
    ///     one on every scored check).
    ///   - visibility: Whether students see and run it.
    ///   - mode: The engine and its budget (schedules, seed, options), or native iterations.
    ///   - method: The check method, as `CaseType.methodName`.
    public static func check<Case: CheckCase>(
        _ id: String, _ title: String, explanation: String = "", points: Double, property: CheckProperty? = nil,
        _ visibility: CheckDeclaration.Visibility,
        _ mode: CheckMode, _ method: @escaping @Sendable (Case) -> () -> Void
    ) -> CheckDefinition {
        var definition = CheckDefinition(id: id, title: title, explanation: explanation, mode: mode) {
            let instance = Case()
            return Scenario(
                run: {
                    instance.setUp()
                    method(instance)()
                },
                verify: { report in
                    instance.report = report
                    return CheckAssertions.collect {
                        for check in instance.endStateChecks { check(report) }
                        instance.tearDown()
                    }
                })
        }
        definition.declaration = CheckDeclaration(points: points, visibility: visibility, property: property)
        return definition
    }
}

/// The points and visibility a check declares beside its code (``CheckCase``); the manifest must agree.
public struct CheckDeclaration: Sendable, Codable, Equatable {
    /// Who sees a check.
    public enum Visibility: String, Sendable, Codable {
        /// Students run it with `turnstile test`.
        case `public`
        /// Only the grader runs it.
        case hidden
    }

    /// Points when the check passes.
    public var points: Double
    /// Who sees it.
    public var visibility: Visibility
    /// What it checks; nil if not declared.
    public var property: CheckProperty?

    /// Creates a declaration.
    public init(points: Double, visibility: Visibility, property: CheckProperty? = nil) {
        self.points = points
        self.visibility = visibility
        self.property = property
    }
}

/// Collects assertion failures made outside a controlled execution (in ``CheckCase/tearDown()``).
enum CheckAssertions {
    /// Runs `body` and returns its first failed assertion's message, or nil.
    static func collect(_ body: () -> Void) -> String? {
        _ = NativeFailureLog.shared.drain()
        body()
        return NativeFailureLog.shared.drain().first
    }
}

/// Asserts that `condition` holds; otherwise the check fails with `message` and this line.
/// Under the controlled engine the execution ends at once, with its trace.
public func CheckAssert(
    _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String = "assertion failed",
    file: StaticString = #fileID, line: UInt = #line
) {
    require(condition(), message(), file: file, line: line)
}

/// Asserts that two values are equal; the failure shows both.
public func CheckAssertEqual<Value: Equatable>(
    _ actual: @autoclosure () -> Value, _ expected: @autoclosure () -> Value, _ message: @autoclosure () -> String = "",
    file: StaticString = #fileID, line: UInt = #line
) {
    let (a, e) = (actual(), expected())
    let note = message()
    require(a == e, "\(note.isEmpty ? "" : note + ": ")got \(a), expected \(e)", file: file, line: line)
}

/// Asserts that a value is not nil.
public func CheckAssertNotNil<Value>(
    _ value: @autoclosure () -> Value?, _ message: @autoclosure () -> String = "unexpected nil",
    file: StaticString = #fileID, line: UInt = #line
) {
    require(value() != nil, message(), file: file, line: line)
}

/// Fails the check with `message` at this line.
public func CheckFail(_ message: String, file: StaticString = #fileID, line: UInt = #line) {
    require(false, message, file: file, line: line)
}
