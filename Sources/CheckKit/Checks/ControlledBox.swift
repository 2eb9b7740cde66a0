import TurnstileRuntime

/// A mutable box that controlled-engine scenarios share between logical threads.
///
/// Not thread-safe: only for code that runs under the controlled engine, where one logical
/// thread runs at a time, or that is otherwise synchronized.
public final class ControlledBox<Value>: @unchecked Sendable {
    // Safety: see above; callers guarantee one accessor at a time.
    private var stored: Value
    private let serial = ControlledScheduler.newObjectSerial()

    /// The value. Under the controlled engine each read and write is reported to a
    /// dependency-tracking search (it is not a scheduling point), so a partial-order reduction
    /// orders steps that share a box.
    public var value: Value {
        get {
            ControlledScheduler.noteAccess(serial: serial, isWrite: false)
            return stored
        }
        set {
            ControlledScheduler.noteAccess(serial: serial, isWrite: true)
            stored = newValue
        }
    }

    /// Creates a box holding `value`.
    public init(_ value: Value) { self.stored = value }
}
