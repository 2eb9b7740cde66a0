import CheckKit
import TurnstileRuntime

/// The concurrency bugs of SCTBench's `concurrent-software-benchmarks` (Thomson, Donaldson &
/// Betts, "Concurrency testing using schedule bounding: an empirical study", PPoPP 2014; the
/// programs come from the ESBMC/Inspect benchmark suites), ported from C and pthreads to the
/// runtime. Each setting keeps its thread counts and its assertion.
///
/// Porting rules: data a program only touches under a lock is plain state (a `ControlledBox`,
/// not a scheduling point, as SCTBench schedules only at synchronization), racy data is a
/// `Shared` (every access a scheduling point, as SCTBench makes racy accesses visible);
/// `__ESBMC_atomic_begin/end` is one global lock, as in SCTBench's `common.inc`; a mutex that
/// C unlocks from another thread (carter01's `l`) is a binary semaphore; a `main` that returns
/// without joining ends the execution (``ExecutionOptions/mainReturnEndsExecution``).
/// `fsbench` (an array index out of bounds in every schedule) is left out.
public enum SCTBench {
    /// One benchmark setting.
    public struct Program: Sendable {
        /// SCTBench's name for the setting, e.g. `reorder_20`.
        public var id: String
        /// The failure the bug shows as.
        public var expected: ExecutionFailure.Kind
        /// Whether `main` returns without joining (the execution ends there).
        public var mainReturns = false
        /// The program.
        public var make: @Sendable () -> Scenario

        /// A plan for this program with `strategy`: no spurious wakeups (pthreads' are rare and
        /// SCTBench does not inject them), a step bound large enough for 100 threads.
        public func plan(_ strategy: StrategyKind, seed: UInt64 = 1, schedules: Int = 10_000) -> ExplorationPlan {
            var plan = ExplorationPlan(strategy: strategy, seed: seed, schedules: schedules)
            plan.options.spuriousWakeups = 0
            plan.options.maxDecisions = 50_000
            plan.options.mainReturnEndsExecution = mainReturns
            plan.shrinkBudget = 0
            return plan
        }

        /// Scheduling decisions of one random execution: PCT's `k` for this program.
        public func steps() -> Int {
            let probe = Explorer.exploreScenarios(plan(.random, schedules: 1), makeScenario: make)
            return max(20, probe.largestDecisionCount)
        }

        /// The default portfolio for this program, cheapest finders first (the test stops at the
        /// first that finds the bug; the benchmark runs them all).
        public func portfolio() -> [StrategyKind] {
            let k = steps()
            return [
                .pct(depth: 3, steps: k), .pct(depth: 2, steps: k), .random, .pct(depth: 1, steps: k),
                .pctAnyLength(depth: 3), .exhaustive(preemptions: 2), .iterativeBounding(measure: .delays, maximum: 3),
                .iterativeBounding(measure: .preemptions, maximum: 3), .dpor,
            ]
        }
    }

    /// Every ported setting.
    public static let all: [Program] = [
        Program(id: "account", expected: .assertion, mainReturns: true, make: { account() }),
        Program(id: "arithmetic_prog", expected: .assertion, make: { arithmeticProg() }),
        Program(id: "bluetooth_driver", expected: .assertion, make: { bluetoothDriver() }),
        Program(id: "carter01", expected: .deadlock, make: { carter01() }),
        Program(id: "circular_buffer", expected: .assertion, make: { circularBuffer() }),
        Program(id: "deadlock01", expected: .deadlock, make: { deadlock01() }),
        Program(id: "lazy01", expected: .assertion, make: { lazy01() }),
        Program(id: "phase01", expected: .deadlock, make: { phase01() }),
        Program(id: "queue", expected: .assertion, make: { queue() }),
        Program(id: "reorder_3", expected: .assertion, make: { reorder(set: 2, check: 1) }),
        Program(id: "reorder_4", expected: .assertion, make: { reorder(set: 3, check: 1) }),
        Program(id: "reorder_5", expected: .assertion, make: { reorder(set: 4, check: 1) }),
        Program(id: "reorder_10", expected: .assertion, make: { reorder(set: 9, check: 1) }),
        Program(id: "reorder_20", expected: .assertion, make: { reorder(set: 10, check: 10) }),
        Program(id: "stack", expected: .assertion, make: { stack() }),
        Program(id: "sync01", expected: .deadlock, make: { sync01() }),
        Program(id: "sync02", expected: .deadlock, make: { sync02() }),
        Program(id: "token_ring", expected: .assertion, mainReturns: true, make: { tokenRing() }),
        Program(id: "twostage", expected: .assertion, make: { twostage(writers: 1, readers: 1) }),
        Program(id: "twostage_100", expected: .assertion, make: { twostage(writers: 99, readers: 1) }),
        Program(id: "wronglock", expected: .assertion, make: { wronglock(a: 1, b: 7) }),
        Program(id: "wronglock_3", expected: .assertion, make: { wronglock(a: 1, b: 3) }),
    ]

    static func join(_ handles: [ThreadHandle]) { for handle in handles { handle.join() } }

    static func account() -> Scenario {
        Scenario(run: {
            let m = Lock(name: "m")
            let (x, y, z) = (1, 2, 4)
            let balance = ControlledBox(x)
            let depositDone = ControlledBox(false)
            let withdrawDone = ControlledBox(false)
            Runtime.spawn(name: "check_result") {
                m.withLock {
                    if depositDone.value && withdrawDone.value {
                        require(balance.value == (x - y) - z, "balance \(balance.value), expected \((x - y) - z)")
                    }
                }
            }
            Runtime.spawn(name: "deposit") { m.withLock { balance.value += y; depositDone.value = true } }
            Runtime.spawn(name: "withdraw") { m.withLock { balance.value -= z; withdrawDone.value = true } }
        })
    }

    static func arithmeticProg() -> Scenario {
        Scenario(run: {
            let n = 3
            let m = Lock(name: "m")
            let empty = Condition(lock: m, name: "empty")
            let full = Condition(lock: m, name: "full")
            let num = ControlledBox(0)
            let total = ControlledBox(0)
            let flag = ControlledBox(false)
            let t1 = Runtime.spawn(name: "thread1") {
                for _ in 0..<n {
                    m.lock()
                    while num.value > 0 { empty.wait() }
                    num.value += 1
                    m.unlock()
                    full.signal()
                }
            }
            let t2 = Runtime.spawn(name: "thread2") {
                var j = 0
                while j < n {
                    m.lock()
                    while num.value == 0 { full.wait() }
                    total.value += j
                    num.value -= 1
                    m.unlock()
                    empty.signal()
                    j += 1
                }
                total.value += j
                flag.value = true
            }
            join([t1, t2])
            if flag.value { require(total.value != (n * (n + 1)) / 2, "total \(total.value)") }
        })
    }

    static func bluetoothDriver() -> Scenario {
        Scenario(run: {
            let atomic = Lock(name: "esbmc_mutex")
            let pendingIo = ControlledBox(1)
            let stoppingFlag = Shared(false, name: "stoppingFlag")
            let stoppingEvent = Shared(false, name: "stoppingEvent")
            let stopped = Shared(false, name: "stopped")
            @Sendable func decrement() {
                let pending = atomic.withLock {
                    pendingIo.value -= 1
                    return pendingIo.value
                }
                if pending == 0 { stoppingEvent.store(true) }
            }
            let stopper = Runtime.spawn(name: "BCSP_PnpStop") {
                stoppingFlag.store(true)
                decrement()
                if stoppingEvent.load() { stopped.store(true) }
            }
            // BCSP_PnpAdd on the main thread.
            var status = -1
            if !stoppingFlag.load() {
                atomic.withLock { pendingIo.value += 1 }
                status = 0
            }
            if status == 0 { require(!stopped.load(), "the driver was stopped while an I/O was in progress") }
            decrement()
            stopper.join()
        })
    }

    /// A binary semaphore: C's `l` is locked by one thread and unlocked by another.
    final class BinarySemaphore: @unchecked Sendable {
        // Safety: state behind its own lock.
        let lock: Lock
        let free: Condition
        let taken = ControlledBox(false)
        init(name: String) {
            lock = Lock(name: name + ".lock")
            free = Condition(lock: lock, name: name)
        }
        func wait() { lock.withLock { while taken.value { free.wait() }; taken.value = true } }
        func post() { lock.withLock { taken.value = false; free.signal() } }
    }

    static func carter01() -> Scenario {
        Scenario(run: {
            let m = Lock(name: "m")
            let l = BinarySemaphore(name: "l")
            let a = ControlledBox(0)
            let b = ControlledBox(0)
            @Sendable func classOperation(_ count: ControlledBox<Int>) {
                m.lock()
                count.value += 1
                if count.value == 1 { l.wait() }
                m.unlock()
                m.lock()
                count.value -= 1
                if count.value == 0 { l.post() }
                m.unlock()
            }
            let handles = [
                Runtime.spawn(name: "a1") { classOperation(a) }, Runtime.spawn(name: "b1") { classOperation(b) },
                Runtime.spawn(name: "a2") { classOperation(a) }, Runtime.spawn(name: "b2") { classOperation(b) },
            ]
            join(handles)
        })
    }

    static func circularBuffer() -> Scenario {
        Scenario(run: {
            let size = 10
            let n = 7
            let m = Lock(name: "m")
            let buffer = ControlledBox([Int](repeating: 0, count: size))
            let first = ControlledBox(0)
            let next = ControlledBox(0)
            let send = ControlledBox(true)
            let receive = ControlledBox(false)
            let t1 = Runtime.spawn(name: "t1") {
                for i in 0..<n {
                    m.withLock {
                        if send.value {
                            if next.value < size {
                                buffer.value[next.value] = i
                                next.value = (next.value + 1) % size
                            }
                            send.value = false
                            receive.value = true
                        }
                    }
                }
            }
            let t2 = Runtime.spawn(name: "t2") {
                for i in 0..<n {
                    m.withLock {
                        if receive.value {
                            var removed = -1
                            if next.value > 0 && first.value < size {
                                first.value += 1
                                removed = buffer.value[first.value - 1]
                            }
                            require(removed == i, "removed \(removed) in round \(i)")
                            receive.value = false
                            send.value = true
                        }
                    }
                }
            }
            join([t1, t2])
        })
    }

    static func deadlock01() -> Scenario {
        Scenario(run: {
            let a = Lock(name: "a")
            let b = Lock(name: "b")
            let counter = ControlledBox(1)
            let t1 = Runtime.spawn(name: "thread1") { a.withLock { b.withLock { counter.value += 1 } } }
            let t2 = Runtime.spawn(name: "thread2") { b.withLock { a.withLock { counter.value -= 1 } } }
            join([t1, t2])
        })
    }

    static func lazy01() -> Scenario {
        Scenario(run: {
            let mutex = Lock(name: "mutex")
            let data = ControlledBox(0)
            let handles = [
                Runtime.spawn(name: "thread1") { mutex.withLock { data.value += 1 } },
                Runtime.spawn(name: "thread2") { mutex.withLock { data.value += 2 } },
                Runtime.spawn(name: "thread3") { mutex.withLock { require(data.value < 3, "data \(data.value)") } },
            ]
            join(handles)
        })
    }

    static func phase01() -> Scenario {
        Scenario(run: {
            let x = Lock(name: "x")
            let y = Lock(name: "y")
            let body: @Sendable () -> Void = {
                x.lock()
                x.unlock()
                x.lock()  // never unlocked: the second lock of x by the other thread waits forever
                y.lock()
                y.unlock()
                y.lock()
                y.unlock()
            }
            join([Runtime.spawn(name: "t1", body), Runtime.spawn(name: "t2", body)])
        })
    }

    static func queue() -> Scenario {
        Scenario(run: {
            let size = 20
            let m = Lock(name: "m")
            let element = ControlledBox([Int](repeating: 0, count: size + 1))
            let head = ControlledBox(0)
            let tail = ControlledBox(0)
            let stored = ControlledBox([Int](repeating: 0, count: size))
            let enqueueFlag = ControlledBox(true)
            let dequeueFlag = ControlledBox(false)
            @Sendable func enqueue(_ x: Int) {
                element.value[tail.value] = x
                tail.value = tail.value == size ? 1 : tail.value + 1
            }
            @Sendable func dequeue() -> Int {
                let x = element.value[head.value]
                head.value = head.value == size ? 1 : head.value + 1
                return x
            }
            let t1 = Runtime.spawn(name: "t1") {
                var value = 0
                m.withLock {
                    enqueue(value)
                    stored.value[0] = value
                }
                for i in 0..<(size - 1) {
                    m.withLock {
                        if enqueueFlag.value {
                            value += 1
                            enqueue(value)
                            stored.value[i + 1] = value
                            enqueueFlag.value = false
                            dequeueFlag.value = true
                        }
                    }
                }
            }
            let t2 = Runtime.spawn(name: "t2") {
                for i in 0..<size {
                    m.withLock {
                        if dequeueFlag.value {
                            let x = dequeue()
                            require(x == stored.value[i], "dequeued \(x), stored[\(i)] is \(stored.value[i])")
                            dequeueFlag.value = false
                            enqueueFlag.value = true
                        }
                    }
                }
            }
            join([t1, t2])
        })
    }

    static func reorder(set: Int, check: Int) -> Scenario {
        Scenario(run: {
            let a = Shared(0, name: "a")
            let b = Shared(0, name: "b")
            let setters = (0..<set).map { i in
                Runtime.spawn(name: "set\(i)") {
                    a.store(1)
                    b.store(-1)
                }
            }
            let checkers = (0..<check).map { i in
                Runtime.spawn(name: "check\(i)") {
                    let seenA = a.load()
                    let seenB = b.load()
                    require((seenA == 0 && seenB == 0) || (seenA == 1 && seenB == -1), "a = \(seenA), b = \(seenB)")
                }
            }
            join(setters + checkers)
        })
    }

    static func stack() -> Scenario {
        Scenario(run: {
            let size = 10
            let m = Lock(name: "m")
            let top = ControlledBox(0)
            let flag = ControlledBox(false)
            let t1 = Runtime.spawn(name: "t1") {
                for _ in 0..<size {
                    m.withLock {
                        require(top.value < size, "overflow")
                        top.value += 1
                        flag.value = true
                    }
                }
            }
            let t2 = Runtime.spawn(name: "t2") {
                for _ in 0..<size {
                    m.withLock {
                        if flag.value {
                            require(top.value > 0, "underflow: pop from an empty stack")
                            top.value -= 1
                        }
                    }
                }
            }
            join([t1, t2])
        })
    }

    static func sync01() -> Scenario {
        Scenario(run: {
            let m = Lock(name: "m")
            let empty = Condition(lock: m, name: "empty")
            let full = Condition(lock: m, name: "full")
            let num = ControlledBox(1)
            let t1 = Runtime.spawn(name: "thread1") {
                m.lock()
                while num.value > 0 { empty.wait() }
                num.value += 1
                m.unlock()
                full.signal()
            }
            let t2 = Runtime.spawn(name: "thread2") {
                m.lock()
                while num.value == 0 { full.wait() }
                m.unlock()
                empty.signal()
            }
            join([t1, t2])
        })
    }

    static func sync02() -> Scenario {
        Scenario(run: {
            let n = 2
            let m = Lock(name: "m")
            let empty = Condition(lock: m, name: "empty")
            let full = Condition(lock: m, name: "full")
            let num = ControlledBox(2)
            let producer = Runtime.spawn(name: "producer") {
                for _ in 0..<n {
                    m.lock()
                    while num.value > 0 { empty.wait() }
                    num.value += 1
                    m.unlock()
                    full.signal()
                }
            }
            let consumer = Runtime.spawn(name: "consumer") {
                for _ in 0..<n {
                    m.lock()
                    while num.value == 0 { full.wait() }
                    num.value -= 1
                    m.unlock()
                    empty.signal()
                }
            }
            join([producer, consumer])
        })
    }

    static func tokenRing() -> Scenario {
        Scenario(run: {
            let atomic = Lock(name: "esbmc_mutex")
            let x = ControlledBox([1, 2, 1])
            let flags = ControlledBox([false, false, false])
            Runtime.spawn(name: "t1") { atomic.withLock { x.value[0] = (x.value[2] + 1) % 4; flags.value[0] = true } }
            Runtime.spawn(name: "t2") { atomic.withLock { x.value[1] = x.value[0]; flags.value[1] = true } }
            Runtime.spawn(name: "t3") { atomic.withLock { x.value[2] = x.value[1]; flags.value[2] = true } }
            Runtime.spawn(name: "t4") {
                atomic.withLock {
                    if flags.value.allSatisfy({ $0 }) {
                        require(x.value[0] == x.value[1] && x.value[1] == x.value[2], "tokens \(x.value)")
                    }
                }
            }
        })
    }

    static func twostage(writers: Int, readers: Int) -> Scenario {
        Scenario(run: {
            let data1Lock = Lock(name: "data1Lock")
            let data2Lock = Lock(name: "data2Lock")
            let data1 = ControlledBox(0)
            let data2 = ControlledBox(0)
            let writerHandles = (0..<writers).map { i in
                Runtime.spawn(name: "funcA\(i)") {
                    data1Lock.withLock { data1.value = 1 }
                    data2Lock.withLock { data2.value = data1.value + 1 }
                }
            }
            let readerHandles = (0..<readers).map { i in
                Runtime.spawn(name: "funcB\(i)") {
                    data1Lock.lock()
                    if data1.value == 0 {
                        data1Lock.unlock()
                        return
                    }
                    let t1 = data1.value
                    data1Lock.unlock()
                    let t2 = data2Lock.withLock { data2.value }
                    require(t2 == t1 + 1, "read data1 = \(t1) but data2 = \(t2)")
                }
            }
            join(writerHandles + readerHandles)
        })
    }

    static func wronglock(a: Int, b: Int) -> Scenario {
        Scenario(run: {
            let dataLock = Lock(name: "dataLock")
            let thisLock = Lock(name: "thisLock")
            let dataValue = Shared(0, name: "dataValue")
            let first = (0..<a).map { i in
                Runtime.spawn(name: "funcA\(i)") {
                    dataLock.withLock {
                        let x = dataValue.load()
                        dataValue.store(dataValue.load() + 1)
                        require(dataValue.load() == x + 1, "another thread changed dataValue under a different lock")
                    }
                }
            }
            let second = (0..<b).map { i in
                Runtime.spawn(name: "funcB\(i)") { thisLock.withLock { dataValue.store(dataValue.load() + 1) } }
            }
            join(first + second)
        })
    }
}
