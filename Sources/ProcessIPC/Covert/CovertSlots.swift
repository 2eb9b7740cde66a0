import CPosixIPC
#if canImport(Glibc)
import Glibc
#endif

/// The shared time base of a covert run: bit `i` occupies
/// `[start + i·slot, start + (i+1)·slot)` on CLOCK_MONOTONIC, which is system-wide, so two
/// processes agree on it without talking.
public struct CovertSlots: Sendable, Equatable {
    /// Start of slot 0, monotonic nanoseconds.
    public var start: UInt64
    /// Slot length in nanoseconds.
    public var slot: UInt64

    /// A time base.
    public init(start: UInt64, slot: UInt64) {
        self.start = start
        self.slot = slot
    }

    /// The start of slot `index`.
    public func begin(_ index: Int) -> UInt64 { start + UInt64(index) * slot }
    /// The middle of slot `index`.
    public func middle(_ index: Int) -> UInt64 { begin(index) + slot / 2 }

    /// Monotonic nanoseconds now.
    public static func now() -> UInt64 { Deadline.now() }

    /// Sleeps until monotonic time `instant`.
    public static func sleep(until instant: UInt64) {
        var target = timespec(tv_sec: Int(instant / 1_000_000_000), tv_nsec: Int(instant % 1_000_000_000))
        while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &target, nil) == EINTR {}
    }

    /// Burns the CPU until monotonic time `instant`.
    public static func spin(until instant: UInt64) {
        while now() < instant { turnstile_cpu_relax() }
    }

    /// Counts units of fixed work done between now and `instant` (the timing receiver's probe).
    public static func countWork(until instant: UInt64) -> Int {
        var count = 0
        var sink: UInt64 = 0
        while now() < instant {
            for step in 0..<64 { sink &+= UInt64(step) &* 2_654_435_761 }
            count += 1
        }
        withExtendedLifetime(sink) {}
        return count
    }

    /// Bits as a hex string (for passing a secret in an argument) and back.
    public static func encode(_ bits: [Bool]) -> String {
        bits.map { $0 ? "1" : "0" }.joined()
    }

    /// The inverse of ``encode(_:)``.
    public static func decode(_ text: String) -> [Bool] { text.map { $0 == "1" } }
}

/// Decides timing-channel bits from work counts: calibrated on a known preamble, a count below
/// the midpoint between the mean count of 0s and of 1s reads as 1 (the sender stole the CPU).
public struct TimingDecoder: Sendable, Equatable {
    /// The preamble sent before the secret: alternating 1, 0.
    public static func preamble(_ length: Int = 16) -> [Bool] { (0..<length).map { $0 % 2 == 0 } }

    /// Counts at or above this read as 0.
    public var threshold: Double

    /// Calibrates from the counts observed during a known preamble.
    public init(preamble: [Bool], counts: [Int]) {
        let ones = zip(preamble, counts).filter { $0.0 }.map { Double($0.1) }
        let zeros = zip(preamble, counts).filter { !$0.0 }.map { Double($0.1) }
        let meanOnes = ones.isEmpty ? 0 : ones.reduce(0, +) / Double(ones.count)
        let meanZeros = zeros.isEmpty ? 0 : zeros.reduce(0, +) / Double(zeros.count)
        threshold = (meanOnes + meanZeros) / 2
    }

    /// The bit a count stands for.
    public func bit(forCount count: Int) -> Bool { Double(count) < threshold }
}
