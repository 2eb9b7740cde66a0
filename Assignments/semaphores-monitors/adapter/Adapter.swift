// The grader's adapter: the one place that names the student's types. The student's module is
// imported `internal`, so none of its names reach the checks.
import AssignmentContract
internal import Semaphores

/// Exposes the student's `Semaphore`, `Barrier` and `Multiplex` to the checks.
public enum StudentAdapter: AssignmentContract.SemaphoresImplementation {
    public static func makeSemaphore(value: Swift.Int, fifo: Swift.Bool) -> any AssignmentContract.SemaphoreUnderTest {
        AdaptedSemaphore(Semaphores.Semaphore(value: value, fairness: fifo ? .fifo : .barging))
    }

    public static func makeBarrier(parties: Swift.Int) -> any AssignmentContract.BarrierUnderTest {
        AdaptedBarrier(Semaphores.Barrier(parties: parties))
    }

    public static func makeMultiplex(limit: Swift.Int) -> any AssignmentContract.MultiplexUnderTest {
        AdaptedMultiplex(Semaphores.Multiplex(limit: limit))
    }
}

final class AdaptedSemaphore: AssignmentContract.SemaphoreUnderTest, @unchecked Sendable {
    let base: Semaphores.Semaphore
    init(_ base: Semaphores.Semaphore) { self.base = base }
    func wait() { base.wait() }
    func signal() { base.signal() }
}

final class AdaptedBarrier: AssignmentContract.BarrierUnderTest, @unchecked Sendable {
    let base: Semaphores.Barrier
    init(_ base: Semaphores.Barrier) { self.base = base }
    func arriveAndWait() { base.arriveAndWait() }
}

final class AdaptedMultiplex: AssignmentContract.MultiplexUnderTest, @unchecked Sendable {
    let base: Semaphores.Multiplex
    init(_ base: Semaphores.Multiplex) { self.base = base }
    func enter() { base.enter() }
    func leave() { base.leave() }
}
