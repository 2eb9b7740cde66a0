import CTurnstileContext

/// A thread of the controlled engine: a user-level context with its own guarded stack.
final class LogicalThread {
    enum State {
        case runnable
        case blocked(BlockReason)
        case finished
    }

    enum BlockReason {
        case lock(Lock)
        case condition(Condition)
        case join(Int)
        /// A spin iteration that only read these objects (serials) yielded: nothing it could
        /// see has changed, so it waits until another thread writes one of them.
        case awaitingChange(Set<Int>)
        /// Waits until every other thread is blocked or finished (``Runtime/awaitQuiescence(file:line:)``).
        case quiescence
    }

    struct BufferedStore {
        let object: ObjectIdentifier
        let label: String
        let value: Any
        let commit: () -> Void
    }

    let id: Int
    let name: String
    let context: OpaquePointer
    var state: State = .runnable
    var body: (() -> Void)?
    /// The lock this thread is trying to acquire, and how often others got it first.
    var waitingFor: Lock?
    var overtaken = 0
    /// Objects read since this thread's last yield, and whether it changed any object since;
    /// kept only when ``ExecutionOptions/yieldAwaitsChange`` is on.
    var readSinceYield: Set<Int> = []
    var wroteSinceYield = false
    /// x86-TSO store buffer: oldest first.
    var storeBuffer: [BufferedStore] = []
    /// Release/acquire model: for each location slot, the newest store this thread has seen
    /// (it may read that one or a later one, never an older one).
    var view: [Int] = []

    init(id: Int, name: String, context: OpaquePointer, body: @escaping () -> Void) {
        self.id = id
        self.name = name
        self.context = context
        self.body = body
    }

    /// Whether the scheduler may pick this thread now. A thread waiting for a lock is enabled
    /// only while the lock is free, so picking it always acquires the lock: no decision is
    /// spent on a waiter that would find the lock taken and block again.
    var isRunnable: Bool {
        switch state {
        case .runnable: true
        case .blocked(.lock(let lock)): lock.controlledOwner < 0
        case .blocked, .finished: false
        }
    }

    /// Whether this thread waits for every other thread to be blocked or finished.
    var awaitsQuiescence: Bool {
        if case .blocked(.quiescence) = state { return true }
        return false
    }

    var isFinished: Bool {
        if case .finished = state { return true }
        return false
    }
}
