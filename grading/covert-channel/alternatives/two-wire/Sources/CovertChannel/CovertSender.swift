/// A two-wire channel: a 0 is sent by flipping lock 0, a 1 by flipping lock 1 (the flip is the
/// bit and its clock at once); lock 2 is the receiver's acknowledgement, flipped once per bit;
/// the sender holds lock 3 until it has seen the last acknowledgement.
public enum CovertSender {
    /// Sends `bits`, returning once the receiver has acknowledged the last one.
    public static func send(_ bits: [Bool], over service: LockClient) throws {
        if !bits.isEmpty { try service.lock(3) }
        defer { if !bits.isEmpty { _ = try? service.unlock(3) } }
        var holding = [false, false]
        for (index, bit) in bits.enumerated() {
            let wire = bit ? 1 : 0
            if holding[wire] { _ = try service.unlock(wire) } else { try service.lock(wire) }
            holding[wire].toggle()
            let acknowledged = index % 2 == 0
            while try service.isHeldByOther(2) != acknowledged {}
        }
    }
}
