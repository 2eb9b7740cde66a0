import TurnstileRuntime

/// The filter lock: Peterson's algorithm generalised to N threads with N−1 waiting rooms.
///
/// To enter, thread `i` passes levels `1…N−1`. At each level it announces itself
/// (`level[i] = L`), volunteers as that level's victim (`victim[L] = i`), and waits while it is
/// the victim and some other thread is at its level or higher. At most `N − L` threads get past
/// level `L`, so only one reaches the critical section.
///
/// - Guarantees: mutual exclusion; deadlock freedom; starvation freedom (every thread that
///   tries eventually enters, if every thread in the critical section eventually leaves).
///   **No bounded waiting**: it is not first-come-first-served, and a waiting thread can be
///   overtaken many times by threads that started later (the tests exhibit it).
/// - Blocking: `lock` busy-waits (``SpinBackoff``); each turn of the wait reads every other
///   thread's level, so waiting costs O(N) loads per turn and O(N²) to enter.
/// - Memory ordering: sequentially consistent stores and loads (like Peterson's, the
///   store-then-load pattern breaks under a store buffer otherwise); `unlock` is a releasing
///   store.
/// - Precondition: each of the `threadCapacity` threads uses its own index.
public final class FilterLock: IndexedMutualExclusionLock {
    private let levels: [AtomicInt]
    private let victims: [AtomicInt]
    private let probe: DoorwayProbe?

    /// How many threads the lock serves.
    public let threadCapacity: Int

    /// Creates a filter lock for `threads` threads (at least 2).
    public convenience init(threads: Int, name: String = "filter") {
        self.init(threads: threads, name: name, probe: nil)
    }

    package init(threads: Int, name: String = "filter", probe: DoorwayProbe?) {
        precondition(threads >= 2, "a filter lock needs at least two threads")
        threadCapacity = threads
        levels = (0..<threads).map { AtomicInt(0, name: "\(name).level[\($0)]") }
        victims = (0..<threads).map { AtomicInt(-1, name: "\(name).victim[\($0)]") }
        self.probe = probe
    }

    /// Enters the critical section as thread `index`, busy-waiting level by level.
    public func lock(as index: Int, file: StaticString = #fileID, line: UInt = #line) {
        checkParticipant(index, threadCapacity, "FilterLock", file: file, line: line)
        for level in 1..<threadCapacity {
            if level == 1 { probe?.started(index) }
            levels[index].store(level, ordering: .sequentiallyConsistent, file: file, line: line)
            victims[level].store(index, ordering: .sequentiallyConsistent, file: file, line: line)
            if level == 1 { probe?.finished(index) }
            var backoff = SpinBackoff()
            while victims[level].load(ordering: .sequentiallyConsistent, file: file, line: line) == index
                && someoneElse(atOrAbove: level, than: index, file: file, line: line)
            {
                backoff.pause(file: file, line: line)
            }
        }
    }

    /// Leaves the critical section held by thread `index`.
    public func unlock(as index: Int, file: StaticString = #fileID, line: UInt = #line) {
        checkParticipant(index, threadCapacity, "FilterLock", file: file, line: line)
        levels[index].store(0, ordering: .releasing, file: file, line: line)
    }

    private func someoneElse(atOrAbove level: Int, than index: Int, file: StaticString, line: UInt) -> Bool {
        for other in 0..<threadCapacity where other != index {
            if levels[other].load(ordering: .sequentiallyConsistent, file: file, line: line) >= level { return true }
        }
        return false
    }
}
