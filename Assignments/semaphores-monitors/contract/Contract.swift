/// What the checks need of a submission, and nothing else: the checks call the student's code
/// only through these protocols, implemented by the grader's adapter. No name a student file
/// declares can change which function a check calls.

/// A counting semaphore, as the checks use it.
public protocol SemaphoreUnderTest: AnyObject, Sendable {
    /// Takes a permit, blocking while none is available.
    func wait()
    /// Returns a permit.
    func signal()
}

/// A reusable barrier, as the checks use it.
public protocol BarrierUnderTest: AnyObject, Sendable {
    /// Blocks until every party has arrived in this round.
    func arriveAndWait()
}

/// A multiplex, as the checks use it.
public protocol MultiplexUnderTest: AnyObject, Sendable {
    /// Enters, blocking while the limit is reached.
    func enter()
    /// Leaves.
    func leave()
}

/// How the adapter builds the student's types.
public protocol SemaphoresImplementation {
    /// A semaphore holding `value` permits; FIFO-fair if `fifo`.
    static func makeSemaphore(value: Swift.Int, fifo: Swift.Bool) -> any SemaphoreUnderTest
    /// A barrier for `parties` threads.
    static func makeBarrier(parties: Swift.Int) -> any BarrierUnderTest
    /// A multiplex admitting `limit` threads.
    static func makeMultiplex(limit: Swift.Int) -> any MultiplexUnderTest
}

/// The implementation under test, set once by the checks executable's entry point.
public enum Submission {
    /// The adapter of the student's module.
    nonisolated(unsafe) public static var implementation: (any SemaphoresImplementation.Type)!

    /// A new semaphore of the student's type.
    public static func makeSemaphore(value: Swift.Int, fifo: Swift.Bool = false) -> any SemaphoreUnderTest {
        implementation.makeSemaphore(value: value, fifo: fifo)
    }

    /// A new barrier of the student's type.
    public static func makeBarrier(parties: Swift.Int) -> any BarrierUnderTest {
        implementation.makeBarrier(parties: parties)
    }

    /// A new multiplex of the student's type.
    public static func makeMultiplex(limit: Swift.Int) -> any MultiplexUnderTest {
        implementation.makeMultiplex(limit: limit)
    }
}
