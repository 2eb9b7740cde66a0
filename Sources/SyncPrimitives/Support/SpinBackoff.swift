import TurnstileRuntime

/// The waiting policy of every busy-wait loop in this module: spin with a CPU hint for a
/// while, then give the processor away with `Runtime.yield()`.
///
/// On a machine with fewer cores than spinning threads, a pure spin can burn a whole time
/// slice waiting for a thread that is not running; yielding after `spinLimit` turns bounds
/// that waste. Under the controlled engine both `spinHint` and `yield` are yielding
/// scheduling points, so a spinning logical thread never starves the thread it waits for.
public struct SpinBackoff: Sendable {
    /// Turns that spin with `Runtime.spinHint()` before each further turn yields.
    public let spinLimit: Int
    private var turns = 0

    /// Creates a backoff that spins `spinLimit` turns before it starts yielding.
    public init(spinLimit: Int = 64) {
        self.spinLimit = spinLimit
    }

    /// Waits one turn of a busy-wait loop.
    @inline(__always)
    public mutating func pause(file: StaticString = #fileID, line: UInt = #line) {
        if turns < spinLimit {
            turns += 1
            Runtime.spinHint(file: file, line: line)
        } else {
            Runtime.yield(file: file, line: line)
        }
    }
}
