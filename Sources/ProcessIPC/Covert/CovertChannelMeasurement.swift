/// One covert-channel run: how fast bits went, how many arrived wrong, and what that leaves.
///
/// Capacity follows Shannon's binary symmetric channel: `rate × (1 − H2(p))`, where
/// `H2(p) = −p·log2(p) − (1−p)·log2(1−p)`. A channel with p = 0.5 carries nothing, whatever
/// its raw rate.
public struct CovertChannelMeasurement: Sendable, Equatable {
    /// Which channel.
    public var kind: CovertChannelKind
    /// The mitigation in force.
    public var mitigation: CovertMitigation
    /// Secret bits sent (calibration bits excluded).
    public var bits: Int
    /// Bits the receiver decoded wrongly.
    public var errors: Int
    /// Time per bit, in seconds.
    public var slotSeconds: Double

    /// Creates a measurement.
    public init(kind: CovertChannelKind, mitigation: CovertMitigation, bits: Int, errors: Int, slotSeconds: Double) {
        self.kind = kind
        self.mitigation = mitigation
        self.bits = bits
        self.errors = errors
        self.slotSeconds = slotSeconds
    }

    /// Raw signalling rate in bits per second.
    public var rawRate: Double { slotSeconds > 0 ? 1 / slotSeconds : 0 }
    /// The error rate p.
    public var errorRate: Double { bits > 0 ? Double(errors) / Double(bits) : 0 }
    /// Capacity in bits per second: `rawRate × (1 − H2(p))`.
    public var capacity: Double { Self.capacity(rate: rawRate, errorRate: errorRate) }

    /// The binary entropy H2(p) in bits; 0 at p = 0 or 1, 1 at p = 0.5.
    public static func binaryEntropy(_ p: Double) -> Double {
        guard p > 0, p < 1 else { return 0 }
        return -p * log2(p) - (1 - p) * log2(1 - p)
    }

    /// `rate × (1 − H2(p))`.
    public static func capacity(rate: Double, errorRate: Double) -> Double {
        rate * (1 - binaryEntropy(errorRate))
    }

    /// Counts positions where `sent` and `received` differ (bits missing from `received` count).
    public static func errors(sent: [Bool], received: [Bool]) -> Int {
        zip(sent, received).filter { $0 != $1 }.count + max(0, sent.count - received.count)
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// The two covert channels of the course text (4.3).
public enum CovertChannelKind: String, Sendable, CaseIterable {
    /// Shared-resource state: the sender holds or releases an exclusive `flock` on a shared
    /// file; the receiver probes whether a shared lock would block.
    case storage
    /// Resource contention: sender and receiver share one CPU; the sender burns it for a 1 and
    /// sleeps for a 0; the receiver counts how much work it gets done in the slot.
    case timing
}

/// A countermeasure whose effect on capacity is measured.
public enum CovertMitigation: Sendable, Equatable, CustomStringConvertible {
    /// None.
    case none
    /// A third process disturbs the shared resource at random in each slot with this probability
    /// (holds the lock, or burns the shared CPU): it raises the error rate.
    case noise(probability: Double)
    /// Partitioning: each side gets its own instance of the resource (a private lock file, its
    /// own CPU), so the sender's actions no longer reach the receiver.
    case partitioning

    /// For example `noise 50%`.
    public var description: String {
        switch self {
        case .none: "none"
        case .noise(let probability): "noise \(Int((probability * 100).rounded()))%"
        case .partitioning: "partitioning"
        }
    }
}
