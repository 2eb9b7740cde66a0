import TurnstileRuntime

/// The state of a FIFO semaphore: free permits and the queue of waiting threads.
struct FIFOQueue {
    /// Permits nobody waits for.
    var free: Int
    /// Waiting threads, longest-waiting first.
    var waiters: [FIFOWaiter] = []
}

/// One waiting thread of a FIFO semaphore, with its own condition so a handoff wakes exactly
/// the thread it is for.
final class FIFOWaiter: Sendable {
    let granted: Shared<Bool>
    let condition: Condition

    init(_ lock: Lock) {
        granted = Shared(false, name: "granted")
        condition = Condition(lock: lock, name: "turn")
    }
}

// FIFO semaphores keep everything under `parking`: a permit freed while threads wait is handed
// to the head of the queue inside `signal`, so nobody arriving later can take it.
extension CountingSemaphore {
    func fifoWait(file: StaticString, line: UInt) {
        parking.lock(file: file, line: line)
        var state = queue.load(file: file, line: line)
        if state.waiters.isEmpty && state.free > 0 {
            state.free -= 1
            queue.store(state, file: file, line: line)
            parking.unlock(file: file, line: line)
            return
        }
        let me = FIFOWaiter(parking)
        state.waiters.append(me)
        queue.store(state, file: file, line: line)
        while !me.granted.load(file: file, line: line) {
            me.condition.wait(file: file, line: line)
        }
        parking.unlock(file: file, line: line)
    }

    func fifoTryWait(file: StaticString, line: UInt) -> Bool {
        parking.lock(file: file, line: line)
        defer { parking.unlock(file: file, line: line) }
        var state = queue.load(file: file, line: line)
        guard state.waiters.isEmpty && state.free > 0 else { return false }
        state.free -= 1
        queue.store(state, file: file, line: line)
        return true
    }

    func fifoSignal(file: StaticString, line: UInt) {
        parking.lock(file: file, line: line)
        var state = queue.load(file: file, line: line)
        if state.waiters.isEmpty {
            state.free += 1
            queue.store(state, file: file, line: line)
            parking.unlock(file: file, line: line)
            return
        }
        let head = state.waiters.removeFirst()
        queue.store(state, file: file, line: line)
        head.granted.store(true, file: file, line: line)
        head.condition.signal(file: file, line: line)
        parking.unlock(file: file, line: line)
    }
}
