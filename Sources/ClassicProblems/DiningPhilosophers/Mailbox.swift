import SyncPrimitives
import TurnstileRuntime

/// An unbounded first-in-first-out mailbox between threads: message passing built on a
/// runtime monitor.
///
/// `send` never blocks; `receive` sleeps until a message is there. Messages from one sender
/// arrive in the order it sent them. Used by ``ChandyMisraTable``, whose philosophers share no
/// state and talk only through mailboxes.
///
/// - Blocking: `receive` sleeps while empty; `send` and `tryReceive` never block.
/// - Memory ordering: everything the sender wrote before `send` is visible to the receiver
///   after `receive` returns that message.
public final class Mailbox<Message>: Sendable {
    private let monitor: Monitor<[Message]>
    private let arrived: MonitorCondition

    /// Creates an empty mailbox; `name` appears in controlled traces.
    public init(name: String = "mailbox") {
        monitor = Monitor([], name: name)
        arrived = monitor.makeCondition(name: "\(name).arrived")
    }

    /// Delivers `message`.
    public func send(_ message: Message, file: StaticString = #fileID, line: UInt = #line) {
        monitor.withMonitor(file: file, line: line) { scope in
            scope.state.append(message)
            scope.signal(arrived, file: file, line: line)
        }
    }

    /// Takes the oldest message, sleeping until there is one.
    public func receive(file: StaticString = #fileID, line: UInt = #line) -> Message {
        monitor.withMonitor(file: file, line: line) { scope in
            scope.wait(arrived, until: { !$0.isEmpty }, file: file, line: line)
            return scope.state.removeFirst()
        }
    }

    /// Takes the oldest message if there is one; never blocks.
    public func tryReceive(file: StaticString = #fileID, line: UInt = #line) -> Message? {
        monitor.withMonitor(file: file, line: line) { scope in
            scope.state.isEmpty ? nil : scope.state.removeFirst()
        }
    }
}
