import ClassicProblems
import Foundation
import SyncPrimitives
import TurnstileRuntime

/// `problems`: bounded-buffer throughput (1P1C, 4P4C) against a pthread mutex-plus-condition
/// buffer, and readers-writers throughput at 90% reads per policy against pthread_rwlock.
func problemsSuite(_ reporter: Reporter) {
    let quick = reporter.options.quick
    let reps = reporter.options.repetitions
    reporter.header("problems", metric: "items_per_s / ops_per_s (higher is better)")
    let capacity = 64
    let items = quick ? 200_000 : 1_000_000

    // Each form is called through its concrete type, as a user of the library would.
    func compare<Buffer: BoundedBuffer<Int>>(_ form: String, pairs: Int, _ make: () -> Buffer) {
        let result = interleavedMedians(
            repetitions: reps,
            ours: { bufferThroughput(pairs: pairs, items: items, put: make()) },
            baseline: { bufferThroughput(pairs: pairs, items: items, put: PthreadConditionBuffer(capacity: capacity)) })
        reporter.report(Measurement(
            suite: "problems", caseName: "buffer-\(form).\(pairs)p\(pairs)c", metric: "items_per_s", value: result.ours,
            baseline: "pthread mutex+cond buffer", baselineValue: result.baseline, better: "higher", goal: 0.8))
    }
    for pairs in [1, 4] {
        compare("semaphores", pairs: pairs) { SemaphoreBoundedBuffer<Int>(capacity: capacity) }
        compare("monitor", pairs: pairs) { MonitorBoundedBuffer<Int>(capacity: capacity) }
    }

    let operations = quick ? 100_000 : 400_000
    for policy in ReadersWritersPolicy.allCases {
        let result = interleavedMedians(
            repetitions: reps,
            ours: {
                let lock = ReadersWritersLock(policy: policy)
                return readWriteThroughput(threads: 4, operations: operations, read: { lock.withReadLock($0) }, write: { lock.withWriteLock($0) })
            },
            baseline: {
                let lock = PthreadRWLock()
                return readWriteThroughput(threads: 4, operations: operations, read: { lock.read($0) }, write: { lock.write($0) })
            })
        reporter.report(Measurement(
            suite: "problems", caseName: "rwlock-\(policy.rawValue).90pct-read", metric: "ops_per_s", value: result.ours,
            baseline: "pthread_rwlock", baselineValue: result.baseline, better: "higher"))
    }
}

/// Items per second moved through `buffer` by `pairs` producers and `pairs` consumers.
func bufferThroughput<Buffer: BoundedBuffer<Int>>(pairs: Int, items: Int, put buffer: Buffer) -> Double {
    let perProducer = items / pairs
    let start = nowNanoseconds()
    var handles: [ThreadHandle] = []
    for _ in 0..<pairs {
        handles.append(Runtime.spawn { for i in 0..<perProducer { buffer.put(i, file: #fileID, line: #line) } })
        handles.append(Runtime.spawn {
            var sum = 0
            for _ in 0..<perProducer { sum &+= buffer.take(file: #fileID, line: #line) }
            precondition(sum >= 0)
        })
    }
    handles.forEach { $0.join() }
    return Double(perProducer * pairs) / (Double(nowNanoseconds() - start) / 1e9)
}

/// Operations per second by `threads` threads, one write in ten.
func readWriteThroughput(
    threads: Int, operations: Int, read: @escaping @Sendable (() -> Void) -> Void,
    write: @escaping @Sendable (() -> Void) -> Void
) -> Double {
    let table = CounterBox()
    let perThread = operations / threads
    let start = nowNanoseconds()
    let handles = (0..<threads).map { id in
        Runtime.spawn {
            var seen = 0
            for op in 0..<perThread {
                if (op + id) % 10 == 0 {
                    write { table.value &+= 1 }
                } else {
                    read { seen &+= table.value }
                }
            }
            precondition(seen >= 0)
        }
    }
    handles.forEach { $0.join() }
    return Double(perThread * threads) / (Double(nowNanoseconds() - start) / 1e9)
}

/// The baseline bounded buffer: a ring guarded by one pthread mutex with "not full" and "not
/// empty" pthread conditions, written directly against pthreads.
final class PthreadConditionBuffer: BoundedBuffer, @unchecked Sendable {
    // Safety: every field is touched only while holding `mutex`.
    let capacity: Int
    private let slots: UnsafeMutablePointer<Int>
    private var head = 0
    private var count = 0
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let notFull = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let notEmpty = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init(capacity: Int) {
        self.capacity = capacity
        slots = .allocate(capacity: capacity)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(notFull, nil)
        pthread_cond_init(notEmpty, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        pthread_cond_destroy(notFull)
        pthread_cond_destroy(notEmpty)
        mutex.deallocate()
        notFull.deallocate()
        notEmpty.deallocate()
        slots.deallocate()
    }

    func put(_ item: Int, file: StaticString = #fileID, line: UInt = #line) {
        pthread_mutex_lock(mutex)
        while count == capacity { pthread_cond_wait(notFull, mutex) }
        slots[(head + count) % capacity] = item
        count += 1
        pthread_cond_signal(notEmpty)
        pthread_mutex_unlock(mutex)
    }

    func take(file: StaticString = #fileID, line: UInt = #line) -> Int {
        pthread_mutex_lock(mutex)
        while count == 0 { pthread_cond_wait(notEmpty, mutex) }
        let item = slots[head]
        head = (head + 1) % capacity
        count -= 1
        pthread_cond_signal(notFull)
        pthread_mutex_unlock(mutex)
        return item
    }
}

/// The baseline readers-writers lock: glibc's pthread_rwlock (default attributes).
final class PthreadRWLock: @unchecked Sendable {
    // Safety: a pthread rwlock, used only through pthread calls.
    private let pointer = UnsafeMutablePointer<pthread_rwlock_t>.allocate(capacity: 1)
    init() { pthread_rwlock_init(pointer, nil) }
    deinit {
        pthread_rwlock_destroy(pointer)
        pointer.deallocate()
    }
    func read(_ body: () -> Void) {
        pthread_rwlock_rdlock(pointer)
        body()
        pthread_rwlock_unlock(pointer)
    }
    func write(_ body: () -> Void) {
        pthread_rwlock_wrlock(pointer)
        body()
        pthread_rwlock_unlock(pointer)
    }
}
