#if canImport(Glibc)
import Glibc
#endif

/// A point on the monotonic clock after which a blocking operation gives up.
struct Deadline {
    /// Nanoseconds on CLOCK_MONOTONIC, or nil for "no deadline".
    let instant: UInt64?

    /// A deadline `timeout` from now; nil means wait without a time limit.
    init(after timeout: Duration?) {
        if let timeout {
            let nanoseconds = max(0, timeout.components.seconds) * 1_000_000_000
                + max(0, timeout.components.attoseconds / 1_000_000_000)
            instant = Deadline.now() + UInt64(nanoseconds)
        } else {
            instant = nil
        }
    }

    /// Monotonic nanoseconds.
    static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }

    var hasPassed: Bool { instant.map { Deadline.now() >= $0 } ?? false }

    /// The time left, capped at `slice` nanoseconds (so waits wake to check peer liveness).
    func remaining(cappedAt slice: Int64) -> Int64 {
        guard let instant else { return slice }
        let now = Deadline.now()
        return now >= instant ? 0 : min(slice, Int64(instant - now))
    }

    /// Milliseconds for `poll`, capped at `slice` milliseconds (rounded up so it never spins).
    func pollMilliseconds(cappedAt slice: Int32) -> Int32 {
        let nanoseconds = remaining(cappedAt: Int64(slice) * 1_000_000)
        return Int32((nanoseconds + 999_999) / 1_000_000)
    }
}

/// How long blocking waits sleep before re-checking that the peer is alive.
let livenessSliceNanoseconds: Int64 = 20_000_000
