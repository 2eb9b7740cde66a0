import CTurnstileContext
import Synchronization

/// A CPU pause hint for spin loops (x86 `pause`, ARM `yield`).
@inline(__always) func spinLoopHint() {
    turnstile_cpu_relax()
}

/// A sequentially consistent fence.
@inline(__always) func atomicFence() {
    let scratch = Atomic<Int>(0)
    _ = scratch.exchange(0, ordering: .sequentiallyConsistent)
}
