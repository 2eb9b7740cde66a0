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
    /// x86-TSO store buffer: oldest first.
    var storeBuffer: [BufferedStore] = []

    init(id: Int, name: String, context: OpaquePointer, body: @escaping () -> Void) {
        self.id = id
        self.name = name
        self.context = context
        self.body = body
    }

    var isRunnable: Bool {
        if case .runnable = state { return true }
        return false
    }

    var isFinished: Bool {
        if case .finished = state { return true }
        return false
    }
}
