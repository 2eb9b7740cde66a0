/// A small, fast, seedable random number generator (xoshiro256**, seeded by SplitMix64), so
/// the same seed gives the same schedule on every machine and Swift version.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// Creates a generator whose whole sequence is determined by `seed`.
    public init(seed: UInt64) {
        var mixer = seed
        state = (Self.splitMix(&mixer), Self.splitMix(&mixer), Self.splitMix(&mixer), Self.splitMix(&mixer))
    }

    /// SplitMix64: also used to derive one execution's seed from an exploration's seed.
    public static func splitMix(_ value: inout UInt64) -> UInt64 {
        value &+= 0x9E37_79B9_7F4A_7C15
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The seed of execution `index` of an exploration seeded with `base`.
    public static func executionSeed(base: UInt64, index: Int) -> UInt64 {
        var value = base ^ (UInt64(index) &* 0xD1B5_4A32_D192_ED03)
        return splitMix(&value)
    }

    /// The next 64 random bits of the sequence (one xoshiro256** step).
    public mutating func next() -> UInt64 {
        let result = rotate(state.1 &* 5, 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = rotate(state.3, 45)
        return result
    }

    /// A uniform integer in `0..<bound` (Lemire's method, unbiased).
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0)
        return Int(next(upperBound: UInt64(bound)))
    }

    private func rotate(_ value: UInt64, _ count: UInt64) -> UInt64 {
        (value << count) | (value >> (64 - count))
    }
}
