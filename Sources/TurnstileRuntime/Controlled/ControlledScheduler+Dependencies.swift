import Synchronization

/// Serials of objects made outside any controlled execution: process-wide, far above the
/// per-execution ones, so the two never meet.
private let outsideSerials = Atomic<Int>(1 << 40)

extension ControlledScheduler {
    /// A serial for a new object whose accesses a partial-order reduction tracks.
    ///
    /// Inside a controlled execution, the object's creation order in that execution: the same
    /// schedule prefix makes the same objects with the same serials, which is what lets a
    /// systematic search compare steps of different executions. Outside one, a process-wide
    /// number (the object outlives executions and keeps it).
    ///
    /// - Blocking: never. Thread safety: safe from any thread (an atomic counter outside
    ///   executions; inside, only the scheduler's one OS thread runs).
    public static func newObjectSerial() -> Int {
        if let scheduler = active {
            scheduler.serialCounter += 1
            return scheduler.serialCounter
        }
        return outsideSerials.wrappingAdd(1, ordering: .relaxed).newValue
    }

    /// Tells a dependency-tracking strategy that the running step read (`isWrite == false`) or
    /// changed the object with `serial`. For test-support state shared between logical threads
    /// outside the runtime's types (CheckKit's `ControlledBox`), so a partial-order reduction
    /// orders those accesses too. Does nothing outside a controlled execution.
    ///
    /// - Blocking: never; not a scheduling point.
    public static func noteAccess(serial: Int, isWrite: Bool) {
        guard let scheduler = active, scheduler.tracksAccesses else { return }
        scheduler.recordAccess(serial, write: isWrite)
    }

    /// Reports an access by the running step to `object`, if tracked.
    @inline(__always) func access(_ object: RuntimeObject, write: Bool) {
        if tracksAccesses { recordAccess(object.serial, write: write) }
    }

    /// Reports an access to logical thread `id` (spawn, finish, join), if tracked.
    @inline(__always) func accessThread(_ id: Int, write: Bool) {
        if tracksAccesses { recordAccess(Self.threadSerial(id), write: write) }
    }

    func recordAccess(_ serial: Int, write: Bool) {
        if observesDependencies { strategy.accessed(serial, isWrite: write) }
        guard awaitsChange else { return }
        let thread = threads[current]
        if write {
            thread.wroteSinceYield = true
            for other in threads {
                if case .blocked(.awaitingChange(let objects)) = other.state, objects.contains(serial) {
                    other.state = .runnable
                }
            }
        } else {
            thread.readSinceYield.insert(serial)
        }
    }

    /// A yield or spin hint: with ``ExecutionOptions/yieldAwaitsChange``, a thread whose steps
    /// since its last yield only read waits until another thread writes one of those objects;
    /// on resuming, its step reads them (so the search orders it after that write).
    func yieldPoint() {
        guard awaitsChange else {
            decide(yielding: true)
            return
        }
        let thread = threads[current]
        let awaited = thread.readSinceYield
        let awaits = !thread.wroteSinceYield && !awaited.isEmpty
        if awaits { thread.state = .blocked(.awaitingChange(awaited)) }
        decide(yielding: true)
        thread.readSinceYield = []
        thread.wroteSinceYield = false
        if awaits, observesDependencies {
            for serial in awaited { strategy.accessed(serial, isWrite: false) }
        }
    }

    /// The serial that stands for logical thread `id` in dependency tracking.
    static func threadSerial(_ id: Int) -> Int { -(id + 1) }
}
