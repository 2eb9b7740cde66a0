import Synchronization

// `Synchronization.Atomic` needs its ordering as a compile-time constant, so the runtime's
// dynamic `MemoryOrdering` is dispatched here with one switch per operation.
extension AtomicInt {
    @inline(__always) func nativeLoad(_ ordering: MemoryOrdering) -> Int {
        switch ordering {
        case .relaxed: native.load(ordering: .relaxed)
        case .acquiring, .acquiringAndReleasing, .releasing: native.load(ordering: .acquiring)
        case .sequentiallyConsistent: native.load(ordering: .sequentiallyConsistent)
        }
    }

    @inline(__always) func nativeStore(_ value: Int, _ ordering: MemoryOrdering) {
        switch ordering {
        case .relaxed: native.store(value, ordering: .relaxed)
        case .releasing, .acquiringAndReleasing, .acquiring: native.store(value, ordering: .releasing)
        case .sequentiallyConsistent: native.store(value, ordering: .sequentiallyConsistent)
        }
    }

    @inline(__always) func nativeAdd(_ delta: Int, _ ordering: MemoryOrdering) -> Int {
        switch ordering {
        case .relaxed: native.wrappingAdd(delta, ordering: .relaxed).oldValue
        case .acquiring: native.wrappingAdd(delta, ordering: .acquiring).oldValue
        case .releasing: native.wrappingAdd(delta, ordering: .releasing).oldValue
        case .acquiringAndReleasing: native.wrappingAdd(delta, ordering: .acquiringAndReleasing).oldValue
        case .sequentiallyConsistent: native.wrappingAdd(delta, ordering: .sequentiallyConsistent).oldValue
        }
    }

    @inline(__always) func nativeExchange(_ desired: Int, _ ordering: MemoryOrdering) -> Int {
        switch ordering {
        case .relaxed: native.exchange(desired, ordering: .relaxed)
        case .acquiring: native.exchange(desired, ordering: .acquiring)
        case .releasing: native.exchange(desired, ordering: .releasing)
        case .acquiringAndReleasing: native.exchange(desired, ordering: .acquiringAndReleasing)
        case .sequentiallyConsistent: native.exchange(desired, ordering: .sequentiallyConsistent)
        }
    }

    @inline(__always) func nativeCompareExchange(
        _ expected: Int, _ desired: Int, _ ordering: MemoryOrdering
    ) -> (exchanged: Bool, original: Int) {
        switch ordering {
        case .relaxed: native.compareExchange(expected: expected, desired: desired, ordering: .relaxed)
        case .acquiring: native.compareExchange(expected: expected, desired: desired, ordering: .acquiring)
        case .releasing: native.compareExchange(expected: expected, desired: desired, ordering: .releasing)
        case .acquiringAndReleasing:
            native.compareExchange(expected: expected, desired: desired, ordering: .acquiringAndReleasing)
        case .sequentiallyConsistent:
            native.compareExchange(expected: expected, desired: desired, ordering: .sequentiallyConsistent)
        }
    }
}
