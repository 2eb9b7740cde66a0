#if canImport(Glibc)
import Glibc
#endif

/// A failed expectation of a peer check, thrown from its body: the message is what the student
/// reads, so it names what the student's program did (or did not do), never the check's code.
public struct CheckFailure: Error, Sendable, CustomStringConvertible {
    /// The sentence shown as the check's failure.
    public var message: String

    /// A failure with `message`.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}

/// Thrown by a peer check whose wait passed its safety limit while the student's program was
/// neither done nor provably stuck (it kept running): the machine is suspected, not the code.
/// The peer exits with status 3 and no record; the grader records the check as incomplete.
public struct CheckIncomplete: Error, Sendable {
    /// What the peer was waiting for (the instructor's log).
    public var waitingFor: String

    /// The wait that ran out.
    public init(waitingFor: String) {
        self.waitingFor = waitingFor
    }
}

extension CheckDefinition {
    /// A check of a process assignment, run by the grader's trusted peer (``CheckMode/peer``).
    ///
    /// `body` runs once, on the peer's main thread, and talks to the student's program through
    /// the IPC objects it sets up; it fails by throwing a ``CheckFailure`` whose message is shown
    /// to the student as is (any other error is shown by its description). Assertions
    /// (``CheckAssert(_:_:file:line:)``) also work, but their messages carry this file and line,
    /// so hidden checks should throw instead.
    /// - Parameters:
    ///   - id: The check's id, as the manifest names it.
    ///   - title: One line for people.
    ///   - explanation: What the check exercises and what a failure usually means.
    ///   - points: The points the manifest must give it.
    ///   - property: What it checks, recorded with a failure.
    ///   - visibility: Whether students see and run it.
    ///   - body: The scenario.
    public static func peer(
        _ id: String, _ title: String, explanation: String = "", points: Double, property: CheckProperty,
        _ visibility: CheckDeclaration.Visibility, _ body: @escaping @Sendable () throws -> Void
    ) -> CheckDefinition {
        var definition = CheckDefinition(id: id, title: title, explanation: explanation, mode: .peer) {
            final class Outcome: @unchecked Sendable {
                // Safety: written by `run`, read by `verify` afterwards on the same thread.
                var failure: String?
            }
            let outcome = Outcome()
            return Scenario(
                run: {
                    do {
                        try body()
                    } catch let failure as CheckFailure {
                        outcome.failure = failure.message
                    } catch let incomplete as CheckIncomplete {
                        let note = "incomplete: still waiting for \(incomplete.waitingFor) at the safety limit\n"
                        _ = note.withCString { write(2, $0, strlen($0)) }
                        exit(3)
                    } catch {
                        outcome.failure = "\(error)"
                    }
                },
                verify: { _ in outcome.failure })
        }
        definition.declaration = CheckDeclaration(points: points, visibility: visibility, property: property)
        return definition
    }
}
