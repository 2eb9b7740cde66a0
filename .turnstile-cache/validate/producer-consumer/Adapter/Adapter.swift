// The grader's adapter: the one place that names the student's types. The student's module is
// imported `internal`, so none of its names reach the checks; only the template's API is public
// in a submission (the vetting refuses anything else), so nothing else can be picked here.
import AssignmentContract
internal import ProducerConsumer

/// Exposes the student's `BoundedBuffer<Int>` to the checks.
public enum StudentAdapter: AssignmentContract.ProducerConsumerImplementation {
    public static func makeBuffer(capacity: Swift.Int) -> any AssignmentContract.BufferUnderTest {
        AdaptedBuffer(ProducerConsumer.BoundedBuffer<Swift.Int>(capacity: capacity))
    }
}

final class AdaptedBuffer: AssignmentContract.BufferUnderTest, @unchecked Sendable {
    let base: ProducerConsumer.BoundedBuffer<Swift.Int>
    init(_ base: ProducerConsumer.BoundedBuffer<Swift.Int>) { self.base = base }
    func put(_ item: Swift.Int) { base.put(item) }
    func get() -> Swift.Int { base.get() }
}
