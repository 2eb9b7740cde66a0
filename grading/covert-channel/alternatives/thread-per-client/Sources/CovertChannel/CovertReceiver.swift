/// The receiving end of the storage channel (protocol: ``CovertSender``).
public enum CovertReceiver {
    static let data = 0, clock = 1, acknowledgement = 2, presence = 3

    /// Decodes `count` bits: for each, waits for the sender's clock to change, reads the data
    /// lock, and acknowledges by moving its own lock to the clock's new state; then waits until
    /// the sender has seen the last acknowledgement (lock 3 free).
    public static func receive(count: Int, over service: LockClient) throws -> [Bool] {
        var bits: [Bool] = []
        for index in 0..<count {
            let phase = index % 2 == 0
            while try service.isHeldByOther(clock) != phase {}
            bits.append(try service.isHeldByOther(data))
            if phase { try service.lock(acknowledgement) } else { _ = try service.unlock(acknowledgement) }
        }
        if count > 0 { while try service.isHeldByOther(presence) {} }
        return bits
    }
}
