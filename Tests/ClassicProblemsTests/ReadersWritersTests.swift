import CheckKit
import Testing
import TurnstileRuntime

@testable import ClassicProblems

/// Watches a readers-writers lock's events (controlled engine only): exclusion, and counted
/// overtakes of waiting threads by threads that arrived later.
final class ReadersWritersWatch: @unchecked Sendable {
    // Safety: used only under the controlled engine, where one logical thread runs at a time.
    var readersInside = 0
    var writersInside = 0
    var maxReadersInside = 0
    private var clock = 0
    private var arrival: [Int: (stamp: Int, isWriter: Bool)] = [:]
    /// For each waiting thread, entries by later arrivals.
    private(set) var overtakes: [Int: Int] = [:]
    private(set) var worstOvertakeOfWriter = 0
    private(set) var worstOvertakeOfReader = 0
    /// Reader entries while some writer had arrived and not yet entered.
    private(set) var readerEntriesWhileWriterWaits = 0
    /// Readers that blocked while no writer was inside.
    private(set) var readerBlockedWithoutWriter = 0
    /// Threads that blocked, all told.
    private(set) var blocked = 0
    /// Who entered, in order (`true` for a writer).
    private(set) var entries: [Bool] = []

    func observe(_ event: ReadersWritersEvent) {
        switch event {
        case .arrived(let isWriter, let thread):
            clock += 1
            arrival[thread] = (clock, isWriter)
            overtakes[thread] = 0
        case .blocked(let isWriter, _):
            blocked += 1
            if !isWriter && writersInside == 0 { readerBlockedWithoutWriter += 1 }
        case .entered(let isWriter, let thread):
            let mine = arrival.removeValue(forKey: thread)!
            if !isWriter && arrival.values.contains(where: \.isWriter) { readerEntriesWhileWriterWaits += 1 }
            for (waiter, info) in arrival where info.stamp < mine.stamp {
                overtakes[waiter, default: 0] += 1
                if info.isWriter {
                    worstOvertakeOfWriter = max(worstOvertakeOfWriter, overtakes[waiter]!)
                } else {
                    worstOvertakeOfReader = max(worstOvertakeOfReader, overtakes[waiter]!)
                }
            }
            if isWriter { writersInside += 1 } else { readersInside += 1 }
            entries.append(isWriter)
            maxReadersInside = max(maxReadersInside, readersInside)
            require(writersInside == 0 || (writersInside == 1 && readersInside == 0), "exclusion broken: \(writersInside) writers and \(readersInside) readers inside")
        case .left(let isWriter, _):
            if isWriter { writersInside -= 1 } else { readersInside -= 1 }
        }
    }
}

@Suite(.serialized)
struct ReadersWritersTests {
    /// `readers` readers and `writers` writers take the lock `rounds` times each; `check` runs
    /// after every entry.
    static func scenario(
        _ policy: ReadersWritersPolicy, readers: Int = 2, writers: Int = 2, readerRounds: Int = 2, writerRounds: Int = 1,
        watch: ControlledBox<ReadersWritersWatch?> = ControlledBox(nil), check: @escaping @Sendable (ReadersWritersWatch) -> Void = { _ in }
    ) -> () -> Void {
        {
            let observer = ReadersWritersWatch()
            watch.value = observer
            let lock = ReadersWritersLock(policy: policy, probe: { observer.observe($0) })
            let data = Shared(0, name: "data")
            var handles: [ThreadHandle] = []
            for id in 0..<writers {
                handles.append(Runtime.spawn(name: "writer-\(id)") {
                    for _ in 0..<writerRounds {
                        lock.withWriteLock {
                            check(observer)
                            data.store(data.load() + 1)
                        }
                    }
                })
            }
            for id in 0..<readers {
                handles.append(Runtime.spawn(name: "reader-\(id)") {
                    for _ in 0..<readerRounds {
                        lock.withReadLock {
                            check(observer)
                            _ = data.load()
                        }
                    }
                })
            }
            handles.forEach { $0.join() }
            require(data.load() == writers * writerRounds, "lost writes")
        }
    }

    @Test(arguments: ReadersWritersPolicy.allCases)
    func writersAreAloneReadersShareAndNothingDeadlocks(_ policy: ReadersWritersPolicy) {
        let sawSharing = ControlledBox(false)
        let watch = ControlledBox<ReadersWritersWatch?>(nil)
        let result = Explorer.explore(plan()) {
            Self.scenario(policy, watch: watch)()
            if watch.value!.maxReadersInside >= 2 { sawSharing.value = true }
        }
        expectPasses(result, "\(policy)")
        #expect(sawSharing.value, "\(policy): readers never shared the lock in \(result.schedules) schedules")
    }

    @Test func readerPreferenceMakesReadersWaitOnlyForAWritingWriter() {
        let result = Explorer.explore(plan()) {
            Self.scenario(.readerPreference) { watch in
                require(watch.readerBlockedWithoutWriter == 0, "a reader waited although no writer was writing")
            }()
        }
        expectPasses(result)
    }

    @Test func writerPreferenceAdmitsNoReaderWhileAWriterWaits() {
        let result = Explorer.explore(plan()) {
            Self.scenario(.writerPreference, readerRounds: 3) { watch in
                require(watch.readerEntriesWhileWriterWaits == 0, "a reader entered while a writer was waiting")
            }()
        }
        expectPasses(result)
    }

    @Test func fairPolicyOvertakesNoWaiter() {
        let result = Explorer.explore(plan()) {
            Self.scenario(.fair, readerRounds: 3, writerRounds: 2) { watch in
                let worst = max(watch.worstOvertakeOfReader, watch.worstOvertakeOfWriter)
                require(worst == 0, "a waiting thread was overtaken \(worst) times by later arrivals (bound 0)")
            }()
        }
        expectPasses(result)
    }

    /// Spawns `name` once `ready` holds of the watch (a controlled spin with a scheduling point).
    static func spawn(
        _ name: String, after ready: @escaping (ReadersWritersWatch) -> Bool, _ watch: ReadersWritersWatch,
        _ body: @escaping @Sendable () -> Void
    ) -> ThreadHandle {
        while !ready(watch) { Runtime.yield() }
        return Runtime.spawn(name: name, body)
    }

    @Test func fairPolicyAdmitsTheReadersWaitingBehindAWriterTogether() {
        // A writer holds the lock until three readers wait behind it. When it leaves, all three
        // must be inside at once: none leaves before all three have been inside together, so a
        // lock that let them in one by one (or woke only one) never finishes.
        let result = Explorer.explore(plan(300)) {
            let watch = ReadersWritersWatch()
            let lock = ReadersWritersLock(policy: .fair, probe: { watch.observe($0) })
            var handles = [Runtime.spawn(name: "writer") {
                lock.withWriteLock { while watch.blocked < 3 { Runtime.yield() } }
            }]
            for id in 0..<3 {
                handles.append(Self.spawn("reader-\(id)", after: { $0.writersInside == 1 }, watch) {
                    lock.withReadLock { while watch.maxReadersInside < 3 { Runtime.yield() } }
                })
            }
            handles.forEach { $0.join() }
            require(watch.entries == [true, false, false, false], "entry order \(watch.entries)")
        }
        expectPasses(result)
    }

    @Test func fairPolicyQueuesAReaderBehindAWaitingWriterWhileReadersAreInside() {
        // reader-0 is inside; writer-1 arrives and waits for it; reader-2 arrives next. Under
        // the fair policy reader-2 must wait behind writer-1 although only readers are inside,
        // and writer-1 must get in as soon as reader-0 leaves, before reader-2.
        let result = Explorer.explore(plan(300)) {
            let watch = ReadersWritersWatch()
            let lock = ReadersWritersLock(policy: .fair, probe: { watch.observe($0) })
            let first = Runtime.spawn(name: "reader-0") {
                lock.withReadLock {
                    while watch.blocked < 2 && watch.readersInside < 2 { Runtime.yield() }
                    require(watch.readersInside == 1, "reader-2 entered ahead of the waiting writer-1")
                }
            }
            let writer = Self.spawn("writer-1", after: { $0.readersInside == 1 }, watch) {
                lock.withWriteLock { require(watch.readersInside == 0, "writer-1 entered with readers inside") }
            }
            let last = Self.spawn("reader-2", after: { $0.blocked == 1 }, watch) {
                lock.withReadLock {}
            }
            [first, writer, last].forEach { $0.join() }
            require(watch.entries == [false, true, false], "entry order \(watch.entries)")
            require(watch.worstOvertakeOfReader == 0 && watch.worstOvertakeOfWriter == 0, "a waiter was overtaken")
        }
        expectPasses(result)
    }

    @Test func readerPreferenceLetsReadersOvertakeAWaitingWriterUnboundedly() throws {
        // The starvation the policy allows, counted: readers keep overtaking one writer.
        let result = Explorer.explore(plan(2_000)) {
            Self.scenario(.readerPreference, readers: 2, writers: 1, readerRounds: 5) { watch in
                require(watch.worstOvertakeOfWriter <= 3, "writer overtaken \(watch.worstOvertakeOfWriter) times")
            }()
        }
        let failure = try #require(result.failure).failure
        #expect(failure.message.contains("writer overtaken"))
    }

    @Test func writerPreferenceLetsWritersOvertakeAWaitingReader() throws {
        let result = Explorer.explore(plan(2_000)) {
            Self.scenario(.writerPreference, readers: 1, writers: 2, readerRounds: 1, writerRounds: 3) { watch in
                require(watch.worstOvertakeOfReader <= 2, "reader overtaken \(watch.worstOvertakeOfReader) times")
            }()
        }
        let failure = try #require(result.failure).failure
        #expect(failure.message.contains("reader overtaken"))
    }
}
