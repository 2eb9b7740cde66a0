/// A test hook of the FCFS locks: called when a thread starts and when it finishes the
/// doorway of its entry protocol (Peterson's flag-and-turn writes, the bakery's choosing of a
/// number, the ticket lock's `fetchAdd`, the filter lock's first level).
///
/// Bounded waiting and first-come-first-served are stated relative to the doorway: a thread
/// that finished its doorway before another started its own must not be overtaken by it. A
/// check records these events (under the controlled engine, where one logical thread runs at a
/// time) and counts overtakes. `nil` by default; the cost when unset is one load and branch.
package struct DoorwayProbe: Sendable {
    /// Called with the thread's index (or runtime identity) as the doorway begins.
    package var started: @Sendable (Int) -> Void
    /// Called with the thread's index (or runtime identity) as the doorway ends.
    package var finished: @Sendable (Int) -> Void

    package init(started: @escaping @Sendable (Int) -> Void, finished: @escaping @Sendable (Int) -> Void) {
        self.started = started
        self.finished = finished
    }
}
