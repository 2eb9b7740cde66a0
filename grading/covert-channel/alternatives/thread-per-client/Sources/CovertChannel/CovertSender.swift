/// The sending end of a storage channel through the state of the service's locks.
///
/// Protocol (the receiver follows it too): lock 0 carries the bit (held = 1); lock 1 is the
/// sender's clock, held for even-numbered bits and free for odd ones, and changes only after
/// the bit is in place; lock 2 is the receiver's acknowledgement, following the clock once the
/// bit is read; lock 3 says the sender is there. Every bit is confirmed before the next one, so
/// nothing depends on how the service orders the two sides' requests.
///
/// The end: a program's locks are released when it returns, so an acknowledgement left by a
/// receiver that has gone could vanish before the sender sees it. The sender holds lock 3 from
/// its first bit until it has seen the last acknowledgement; the receiver keeps its last
/// acknowledgement until lock 3 is free.
public enum CovertSender {
    static let data = 0, clock = 1, acknowledgement = 2, presence = 3

    /// Sends `bits`, returning once the receiver has acknowledged the last one.
    public static func send(_ bits: [Bool], over service: LockClient) throws {
        guard !bits.isEmpty else { return }
        try service.lock(presence)
        var holdingData = false
        for (index, bit) in bits.enumerated() {
            if bit != holdingData {
                if bit { try service.lock(data) } else { _ = try service.unlock(data) }
                holdingData = bit
            }
            let phase = index % 2 == 0
            if phase { try service.lock(clock) } else { _ = try service.unlock(clock) }
            while try service.isHeldByOther(acknowledgement) != phase {}
        }
        _ = try service.unlock(presence)
    }
}
