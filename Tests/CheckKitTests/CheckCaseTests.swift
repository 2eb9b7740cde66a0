import CheckKit
import Testing
import TurnstileRuntime

/// Checks written the XCTest way: a fresh instance per execution, assertions with their own
/// line, end-state assertions in `tearDown`, and the declaration carried to `checks list`.
@Suite struct CheckCaseTests {
    final class Sample: CheckCase, @unchecked Sendable {
        static let instances = ControlledBox(0)
        var total: Shared<Int>!

        override func setUp() {
            Sample.instances.value += 1
            total = Shared(0, name: "total")
        }

        func racyIncrements() {
            let handles = (0..<2).map { _ in Runtime.spawn { self.total.store(self.total.load() + 1) } }
            for handle in handles { handle.join() }
        }

        func failsInside() { CheckAssertEqual(1 + 1, 3, "arithmetic") }

        override func tearDown() { CheckAssertEqual(total.load(), 2, "increments") }

        override class var checks: [CheckDefinition] {
            [check("racy", "two racy increments", points: 10, .hidden,
                   .controlled(ExplorationPlan(strategy: .random, seed: 3, schedules: 200)), Sample.racyIncrements),
             check("inside", "an assertion in the method", points: 5, .public,
                   .controlled(ExplorationPlan(strategy: .random, seed: 3, schedules: 5)), Sample.failsInside)]
        }
    }

    @Test func tearDownAssertionsJudgeTheEndStateOfEachExecution() throws {
        let racy = try #require(Sample.checks.first)
        #expect(racy.declaration == CheckDeclaration(points: 10, visibility: .hidden))
        let record = CheckRunner.run(racy)
        #expect(!record.passed)
        #expect(record.message.contains("increments: got 1, expected 2"), "\(record.message)")
        #expect(record.message.contains("CheckCaseTests.swift:"), "the assertion's own line: \(record.message)")
    }

    @Test func anAssertionInTheMethodEndsTheExecutionAtItsLine() throws {
        let inside = try #require(Sample.checks.last)
        let before = Sample.instances.value
        let record = CheckRunner.run(inside)
        #expect(!record.passed && record.failureKind == "assertion")
        #expect(record.message.contains("arithmetic: got 2, expected 3"))
        #expect(record.message.contains("CheckCaseTests.swift:"))
        #expect(Sample.instances.value > before, "a fresh instance set up per execution")
    }
}
