import Dispatch
import Foundation
import Synchronization
import SyncPrimitives
import TurnstileRuntime

/// `primitives`: uncontended lock+unlock against Synchronization.Mutex and pthread_mutex, and a
/// semaphore ping-pong handoff against DispatchSemaphore.
func primitivesSuite(_ reporter: Reporter) {
    let quick = reporter.options.quick
    let reps = reporter.options.repetitions
    reporter.header("primitives", metric: "ns_per_op (lower is better)")
    // Start one thread first: glibc skips atomics in pthread_mutex while a process has never
    // had a second thread, which would flatter the pthread baseline against real use.
    Runtime.spawn {}.join()

    // MARK: Uncontended lock + unlock
    let iterations = quick ? 2_000_000 : 10_000_000
    let ours = OwnedMutex()
    let counter = CounterBox()
    let stdlib = StdlibMutexBox()
    let pthread = PthreadMutexBox()

    // The same measured body against each baseline, interleaved with it in its own run.
    let oursUncontended = {
        nanosecondsPerOperation(iterations: iterations) {
            for _ in 0..<iterations {
                try! ours.lock()
                counter.value &+= 1
                try! ours.unlock()
            }
        }
    }
    let vsStdlib = interleavedMedians(
        repetitions: reps,
        ours: oursUncontended,
        baseline: {
            nanosecondsPerOperation(iterations: iterations) {
                for _ in 0..<iterations { stdlib.mutex.withLock { $0 &+= 1 } }
            }
        })
    reporter.report(Measurement(
        suite: "primitives", caseName: "mutex.uncontended", metric: "ns_per_op", value: vsStdlib.ours,
        baseline: "Synchronization.Mutex", baselineValue: vsStdlib.baseline, better: "lower", goal: 1.3))

    let vsPthread = interleavedMedians(
        repetitions: reps,
        ours: oursUncontended,
        baseline: {
            nanosecondsPerOperation(iterations: iterations) {
                for _ in 0..<iterations {
                    pthread_mutex_lock(pthread.pointer)
                    counter.value &+= 1
                    pthread_mutex_unlock(pthread.pointer)
                }
            }
        })
    reporter.report(Measurement(
        suite: "primitives", caseName: "mutex.uncontended", metric: "ns_per_op", value: vsPthread.ours,
        baseline: "pthread_mutex", baselineValue: vsPthread.baseline, better: "lower"))

    // The runtime's own Lock (a pthread mutex behind the engine switch), for reference.
    let runtimeLock = Lock()
    let lockVsPthread = interleavedMedians(
        repetitions: reps,
        ours: {
            nanosecondsPerOperation(iterations: iterations) {
                for _ in 0..<iterations {
                    runtimeLock.lock()
                    counter.value &+= 1
                    runtimeLock.unlock()
                }
            }
        },
        baseline: {
            nanosecondsPerOperation(iterations: iterations) {
                for _ in 0..<iterations { stdlib.mutex.withLock { $0 &+= 1 } }
            }
        })
    reporter.report(Measurement(
        suite: "primitives", caseName: "runtime-lock.uncontended", metric: "ns_per_op", value: lockVsPthread.ours,
        baseline: "Synchronization.Mutex", baselineValue: lockVsPthread.baseline, better: "lower"))

    // MARK: Semaphore ping-pong
    let handoffs = quick ? 20_000 : 100_000
    let pingPong = interleavedMedians(
        repetitions: reps,
        ours: { pingPongNanoseconds(handoffs: handoffs) { CountingSemaphore(value: 0) } },
        baseline: { pingPongNanoseconds(handoffs: handoffs) { DispatchSemaphore(value: 0) } })
    reporter.report(Measurement(
        suite: "primitives", caseName: "semaphore.pingpong-handoff", metric: "ns_per_op", value: pingPong.ours,
        baseline: "DispatchSemaphore", baselineValue: pingPong.baseline, better: "lower", goal: 1.3))

    let fifoPingPong = interleavedMedians(
        repetitions: reps,
        ours: { pingPongNanoseconds(handoffs: handoffs) { CountingSemaphore(value: 0, fairness: .fifo) } },
        baseline: { pingPongNanoseconds(handoffs: handoffs) { DispatchSemaphore(value: 0) } })
    reporter.report(Measurement(
        suite: "primitives", caseName: "semaphore-fifo.pingpong-handoff", metric: "ns_per_op", value: fifoPingPong.ours,
        baseline: "DispatchSemaphore", baselineValue: fifoPingPong.baseline, better: "lower"))
}

/// A plain counter the benchmark bodies bump inside the critical section.
final class CounterBox: @unchecked Sendable {
    // Safety: only touched inside the lock being measured.
    var value = 0
}

final class StdlibMutexBox: Sendable {
    let mutex = Synchronization.Mutex(0)
}

/// A heap-allocated pthread mutex (pthread objects must not move).
final class PthreadMutexBox: @unchecked Sendable {
    // Safety: a pthread mutex, used only through pthread calls.
    let pointer: UnsafeMutablePointer<pthread_mutex_t>
    init() {
        pointer = .allocate(capacity: 1)
        pthread_mutex_init(pointer, nil)
    }
    deinit {
        pthread_mutex_destroy(pointer)
        pointer.deallocate()
    }
}

/// A semaphore the ping-pong case can drive; generic, so each side is specialized and pays no
/// dynamic dispatch.
protocol PingPongSemaphore: Sendable {
    func handoffWait()
    func handoffSignal()
}

extension CountingSemaphore: PingPongSemaphore {
    func handoffWait() { wait(file: #fileID, line: #line) }
    func handoffSignal() { signal(file: #fileID, line: #line) }
}

extension DispatchSemaphore: PingPongSemaphore {
    func handoffWait() { wait() }
    func handoffSignal() { _ = signal() }
}

/// Nanoseconds per handoff of two threads passing a token back and forth through two semaphores.
func pingPongNanoseconds<S: PingPongSemaphore>(handoffs: Int, make: () -> S) -> Double {
    let ping = make()
    let pong = make()
    return nanosecondsPerOperation(iterations: handoffs * 2) {
        let echo = Runtime.spawn {
            for _ in 0..<handoffs {
                ping.handoffWait()
                pong.handoffSignal()
            }
        }
        for _ in 0..<handoffs {
            ping.handoffSignal()
            pong.handoffWait()
        }
        echo.join()
    }
}
