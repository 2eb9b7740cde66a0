#if canImport(Glibc)
import Glibc
#endif

/// A covert channel's capacity before and after a mitigation, printable as a table.
public struct CovertChannelReport: Sendable, Equatable, CustomStringConvertible {
    /// Without mitigation.
    public var before: CovertChannelMeasurement
    /// With the mitigation.
    public var after: CovertChannelMeasurement

    /// Creates a report.
    public init(before: CovertChannelMeasurement, after: CovertChannelMeasurement) {
        self.before = before
        self.after = after
    }

    /// Capacity after ÷ before (0 when the channel was shut; nan when it carried nothing to start with).
    public var capacityRatio: Double { before.capacity > 0 ? after.capacity / before.capacity : .nan }

    /// A table: mitigation, bits, raw rate, errors, p, capacity.
    public var description: String {
        var lines = ["\(before.kind) covert channel",
            pad("mitigation", 16) + pad("bits", 7) + pad("rate (bit/s)", 14) + pad("errors", 8) + pad("p", 8)
                + "capacity (bit/s)"]
        for row in [before, after] {
            lines.append(
                pad(row.mitigation.description, 16) + pad("\(row.bits)", 7) + pad(fixed(row.rawRate, 1), 14)
                    + pad("\(row.errors)", 8) + pad(fixed(row.errorRate, 3), 8) + fixed(row.capacity, 1))
        }
        lines.append("capacity after ÷ before: \(fixed(capacityRatio, 3))")
        return lines.joined(separator: "\n")
    }
}

/// Left-aligns `text` in `width` columns.
func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
}

/// `value` with `digits` decimals (no Foundation needed).
func fixed(_ value: Double, _ digits: Int) -> String {
    guard value.isFinite else { return value.isNaN ? "n/a" : "inf" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    let whole = Int(scaled / scale)
    let fraction = Int(scaled) - whole * Int(scale)
    var fractionText = String(fraction)
    while fractionText.count < digits { fractionText = "0" + fractionText }
    return (value < 0 && scaled > 0 ? "-" : "") + "\(whole)" + (digits > 0 ? "." + fractionText : "")
}
