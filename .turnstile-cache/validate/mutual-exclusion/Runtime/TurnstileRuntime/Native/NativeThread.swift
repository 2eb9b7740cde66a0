#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Real OS threads for the native engine, and the runtime's own thread identities.
enum NativeThread {
    /// Identity of the calling native thread: assigned at spawn, or on first use for a thread
    /// the runtime did not start (the main thread, a Dispatch worker). Never 0 natively.
    nonisolated(unsafe) private static var key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    private static let nextIdentity = Atomic<Int>(1)

    static var currentIdentity: Int {
        let stored = Int(bitPattern: pthread_getspecific(key))
        if stored != 0 { return stored }
        let identity = nextIdentity.wrappingAdd(1, ordering: .relaxed).oldValue
        pthread_setspecific(key, UnsafeRawPointer(bitPattern: identity))
        return identity
    }

    private final class Start {
        let identity: Int
        let body: () -> Void
        init(identity: Int, body: @escaping () -> Void) {
            self.identity = identity
            self.body = body
        }
    }

    /// Starts `body` on a new joinable pthread; returns the thread and its runtime identity.
    static func spawn(_ body: @escaping () -> Void) -> (pthread_t, Int) {
        let identity = nextIdentity.wrappingAdd(1, ordering: .relaxed).oldValue
        let start = Unmanaged.passRetained(Start(identity: identity, body: body)).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(
            &thread, nil,
            { raw in
                let start = Unmanaged<Start>.fromOpaque(raw!).takeRetainedValue()
                pthread_setspecific(NativeThread.key, UnsafeRawPointer(bitPattern: start.identity))
                start.body()
                return nil
            }, start)
        precondition(status == 0, "pthread_create failed with \(status): the process is out of threads")
        return (thread, identity)
    }

    static func join(_ thread: pthread_t) {
        pthread_join(thread, nil)
    }
}
