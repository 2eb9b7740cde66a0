#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A heap-allocated `pthread_mutex_t`, used by the native engine. Pthread objects must not
/// move in memory, so they live behind a stable pointer; the owner calls ``destroy()`` once.
/// A struct, not a class, so a lock operation is one load away from the mutex.
///
/// ThreadSanitizer understands pthread mutexes, which is why the native engine uses them
/// rather than `Synchronization.Mutex`.
struct PthreadMutex {
    let pointer: UnsafeMutablePointer<pthread_mutex_t>

    init() {
        pointer = .allocate(capacity: 1)
        var attributes = pthread_mutexattr_t()
        pthread_mutexattr_init(&attributes)
        pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_NORMAL))
        let status = pthread_mutex_init(pointer, &attributes)
        pthread_mutexattr_destroy(&attributes)
        precondition(status == 0, "pthread_mutex_init failed with \(status)")
    }

    func destroy() {
        pthread_mutex_destroy(pointer)
        pointer.deallocate()
    }

    @inline(__always) func lock() { pthread_mutex_lock(pointer) }
    @inline(__always) func unlock() { pthread_mutex_unlock(pointer) }
    @inline(__always) func tryLock() -> Bool { pthread_mutex_trylock(pointer) == 0 }
}

/// A heap-allocated `pthread_cond_t`; the owner calls ``destroy()`` once.
struct PthreadCondition {
    let pointer: UnsafeMutablePointer<pthread_cond_t>

    init() {
        pointer = .allocate(capacity: 1)
        let status = pthread_cond_init(pointer, nil)
        precondition(status == 0, "pthread_cond_init failed with \(status)")
    }

    func destroy() {
        pthread_cond_destroy(pointer)
        pointer.deallocate()
    }

    func wait(_ mutex: PthreadMutex) { pthread_cond_wait(pointer, mutex.pointer) }
    func signal() { pthread_cond_signal(pointer) }
    func broadcast() { pthread_cond_broadcast(pointer) }
}
