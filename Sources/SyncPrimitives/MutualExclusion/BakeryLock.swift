import TurnstileRuntime

/// Lamport's bakery lock: N-thread mutual exclusion that serves threads in the order they
/// took a number, using only loads and stores.
///
/// In the doorway, thread `i` takes a number one larger than every number it sees. It then
/// waits for every thread with a smaller `(number, index)` label to leave. Two threads that
/// choose concurrently may draw the same number; the index breaks the tie.
///
/// - Guarantees: mutual exclusion; deadlock freedom; first-come-first-served: if thread `a`
///   finishes its doorway before thread `b` starts its own, `b` does not enter before `a`.
///   Hence bounded waiting: after its doorway a thread is overtaken at most once by each other
///   thread (at most N−1 entries).
/// - Blocking: `lock` busy-waits (``SpinBackoff``), reading every other thread's state once
///   per turn, O(N) per turn.
/// - Memory ordering: sequentially consistent loads and stores in the doorway and the wait
///   (store-then-load again); `unlock` is a releasing store of 0.
/// - Numbers grow without bound while the lock is never idle; a 64-bit `Int` does not wrap in
///   practice.
/// - Precondition: each of the `threadCapacity` threads uses its own index.
public final class BakeryLock: IndexedMutualExclusionLock {
    private let choosing: [AtomicBool]
    private let numbers: [AtomicInt]
    private let probe: DoorwayProbe?

    /// How many threads the lock serves.
    public let threadCapacity: Int

    /// Creates a bakery lock for `threads` threads (at least 2).
    public convenience init(threads: Int, name: String = "bakery") {
        self.init(threads: threads, name: name, probe: nil)
    }

    package init(threads: Int, name: String = "bakery", probe: DoorwayProbe?) {
        precondition(threads >= 2, "a bakery lock needs at least two threads")
        threadCapacity = threads
        choosing = (0..<threads).map { AtomicBool(false, name: "\(name).choosing[\($0)]") }
        numbers = (0..<threads).map { AtomicInt(0, name: "\(name).number[\($0)]") }
        self.probe = probe
    }

    /// Takes a number as thread `index` and waits until every smaller label has been served.
    public func lock(as index: Int, file: StaticString = #fileID, line: UInt = #line) {
        checkParticipant(index, threadCapacity, "BakeryLock", file: file, line: line)
        probe?.started(index)
        choosing[index].store(true, ordering: .sequentiallyConsistent, file: file, line: line)
        var largest = 0
        for other in 0..<threadCapacity {
            largest = max(largest, numbers[other].load(ordering: .sequentiallyConsistent, file: file, line: line))
        }
        let mine = largest + 1
        numbers[index].store(mine, ordering: .sequentiallyConsistent, file: file, line: line)
        choosing[index].store(false, ordering: .sequentiallyConsistent, file: file, line: line)
        probe?.finished(index)
        for other in 0..<threadCapacity where other != index {
            var backoff = SpinBackoff()
            while choosing[other].load(ordering: .sequentiallyConsistent, file: file, line: line) {
                backoff.pause(file: file, line: line)
            }
            while true {
                let theirs = numbers[other].load(ordering: .sequentiallyConsistent, file: file, line: line)
                if theirs == 0 || (theirs, other) > (mine, index) { break }
                backoff.pause(file: file, line: line)
            }
        }
    }

    /// Gives up thread `index`'s number, letting the next label in.
    public func unlock(as index: Int, file: StaticString = #fileID, line: UInt = #line) {
        checkParticipant(index, threadCapacity, "BakeryLock", file: file, line: line)
        numbers[index].store(0, ordering: .releasing, file: file, line: line)
    }
}
