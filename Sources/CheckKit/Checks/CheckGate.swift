import TurnstileRuntime

/// A one-shot gate a check opens: threads that reach ``pass()`` sleep until ``open()``.
///
/// For holding a thread at a chosen point (a reader inside the lock under test) until the
/// check lets it go; built from the runtime's `Lock` and `Condition`, so a thread at the gate
/// counts as asleep for ``CheckCase/awaitQuiescence(file:line:)``.
///
/// - Blocking: ``pass()`` sleeps until the gate is open (at once if it already is); ``open()``
///   never blocks and wakes every sleeper.
/// - Memory ordering: what the opener wrote before ``open()`` is visible after ``pass()``
///   returns (through the lock).
public final class CheckGate: @unchecked Sendable {
    // Safety: `isOpen` is read and written only while holding `lock`.
    private let lock: Lock
    private let opened: Condition
    private var isOpen = false

    /// Creates a closed gate; `name` appears in traces.
    public init(name: String = "gate") {
        lock = Lock(name: name)
        opened = Condition(lock: lock, name: "\(name).open")
    }

    /// Sleeps until the gate is open.
    public func pass() {
        lock.lock()
        while !isOpen { opened.wait() }
        lock.unlock()
    }

    /// Opens the gate for good and wakes everyone at it.
    public func open() {
        lock.lock()
        isOpen = true
        opened.broadcast()
        lock.unlock()
    }
}
