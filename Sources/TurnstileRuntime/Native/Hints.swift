import Synchronization

/// A CPU pause hint for spin loops (x86 `pause`, ARM `yield`); a no-op elsewhere.
@inline(__always) func spinLoopHint() {
    #if arch(x86_64) || arch(i386)
    _spinPause()
    #endif
}

/// A sequentially consistent fence.
@inline(__always) func atomicFence() {
    let scratch = Atomic<Int>(0)
    _ = scratch.exchange(0, ordering: .sequentiallyConsistent)
}

@inline(__always) private func _spinPause() {
    // There is no portable pause intrinsic in Swift; a relaxed atomic load is cheap and keeps the
    // loop from being optimised away.
}
