import TurnstileRuntime

/// A monitor: shared state that can be reached only inside the monitor's mutual exclusion,
/// with condition variables to wait inside it (Mesa semantics).
///
/// The course text's "high-level synchronization constructs that encapsulate shared data and
/// procedures". The state lives in the monitor and is handed to code only inside
/// ``withMonitor(file:line:_:)``, which holds the monitor's lock, so "forgot to lock" cannot be
/// written. Conditions made by ``makeCondition(name:)`` let that code wait for the state to
/// change:
///
/// ```swift
/// let account = Monitor(0)
/// let funded = account.makeCondition(name: "funded")
/// account.withMonitor { scope in                      // withdraw
///     scope.wait(funded, until: { $0 >= 10 })
///     scope.state -= 10
/// }
/// account.withMonitor { scope in                      // deposit
///     scope.state += 10
///     scope.broadcast(funded)
/// }
/// ```
///
/// **Mesa, not Hoare.** A signalled thread does not run at once: it queues for the monitor
/// like everybody else, and by the time it runs the state may have changed again; it can also
/// wake spuriously. So every wait sits in a loop that rechecks its condition;
/// ``Scope/wait(_:until:file:line:)`` is that loop. (Under Hoare semantics the signaller would
/// hand the monitor straight to the woken thread and an `if` would do; no runtime here
/// provides that.)
///
/// - Guarantees: mutual exclusion over `state`; a waiting thread releases the monitor while it
///   waits and holds it again when `wait` returns. `signal` wakes at least one waiter of that
///   condition, if any; `broadcast` wakes all.
/// - Fairness: none (that of the runtime `Lock` and `Condition`): neither entry nor wakeup
///   order is first-come-first-served.
/// - Blocking: `withMonitor` blocks while another thread is inside; `wait` blocks; `signal`
///   and `broadcast` never block.
/// - Memory ordering: entering acquires, leaving (or waiting) releases; code inside sees every
///   write made inside before.
public final class Monitor<State>: @unchecked Sendable {
    // Safety: `state` is read and written only through a `Scope`, which exists only inside
    // `withMonitor`, while `lock` is held.
    @usableFromInline let lock: Lock
    @usableFromInline var state: State

    /// Creates a monitor guarding `initial`; `name` appears in controlled traces.
    public init(_ initial: State, name: String = "monitor") {
        lock = Lock(name: name)
        state = initial
    }

    /// Makes a condition variable of this monitor.
    public func makeCondition(name: String? = nil) -> MonitorCondition {
        MonitorCondition(Condition(lock: lock, name: name), monitor: ObjectIdentifier(self))
    }

    /// Enters the monitor, runs `body` with access to the state, and leaves however `body`
    /// exits. Do not let the scope escape `body`.
    @inlinable
    public func withMonitor<Result>(
        file: StaticString = #fileID, line: UInt = #line, _ body: (Scope) throws -> Result
    ) rethrows -> Result {
        lock.lock(file: file, line: line)
        defer { lock.unlock(file: file, line: line) }
        return try body(Scope(self))
    }

    /// Access to a monitor's state and conditions while inside it.
    public struct Scope {
        @usableFromInline unowned(unsafe) let monitor: Monitor

        @usableFromInline init(_ monitor: Monitor) { self.monitor = monitor }

        /// The guarded state.
        @inlinable
        public var state: State {
            get { monitor.state }
            nonmutating _modify { yield &monitor.state }
        }

        /// Waits once on `condition`: releases the monitor, sleeps until signalled (or
        /// spuriously woken), and re-enters. Recheck your condition after it returns.
        public func wait(_ condition: MonitorCondition, file: StaticString = #fileID, line: UInt = #line) {
            precondition(
                condition.monitor == ObjectIdentifier(monitor),
                "waited on a condition that belongs to another monitor")
            condition.condition.wait(file: file, line: line)
        }

        /// Waits on `condition` until `predicate` holds of the state (the Mesa loop). Returns at
        /// once if it already holds.
        @inlinable
        public func wait(
            _ condition: MonitorCondition, until predicate: (State) -> Bool, file: StaticString = #fileID,
            line: UInt = #line
        ) {
            while !predicate(monitor.state) { wait(condition, file: file, line: line) }
        }

        /// Wakes at least one thread waiting on `condition`, if any waits.
        public func signal(_ condition: MonitorCondition, file: StaticString = #fileID, line: UInt = #line) {
            condition.condition.signal(file: file, line: line)
        }

        /// Wakes every thread waiting on `condition`.
        public func broadcast(_ condition: MonitorCondition, file: StaticString = #fileID, line: UInt = #line) {
            condition.condition.broadcast(file: file, line: line)
        }
    }
}

/// A condition variable of one ``Monitor``; use it through the monitor's scope.
public final class MonitorCondition: Sendable {
    let condition: Condition
    let monitor: ObjectIdentifier

    init(_ condition: Condition, monitor: ObjectIdentifier) {
        self.condition = condition
        self.monitor = monitor
    }
}
