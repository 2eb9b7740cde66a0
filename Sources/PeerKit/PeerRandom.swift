/// A fixed-seed generator (SplitMix64) for a peer's message sizes and contents: every run of a
/// check sends the same bytes, so a verdict depends on the program alone.
///
/// Not thread-safe (a value type: each thread keeps its own).
public struct PeerRandom: Sendable {
    private var state: UInt64

    /// A generator that always yields the same sequence for `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A whole number in `0...bound`.
    public mutating func upTo(_ bound: Int) -> Int { Int(next() % UInt64(bound + 1)) }

    /// `count` random bytes.
    public mutating func bytes(_ count: Int) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(count)
        while result.count < count {
            var word = next()
            for _ in 0..<min(8, count - result.count) {
                result.append(UInt8(word & 0xff))
                word >>= 8
            }
        }
        return result
    }
}
