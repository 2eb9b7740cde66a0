/// The two-wire channel's receiver: watches both wires, alternating, for the one that flipped.
public enum CovertReceiver {
    /// Decodes `count` bits, acknowledging each by flipping lock 2.
    public static func receive(count: Int, over service: LockClient) throws -> [Bool] {
        var seen = [false, false]
        var bits: [Bool] = []
        var next = 0
        for index in 0..<count {
            while true {
                let held = try service.isHeldByOther(next)
                if held != seen[next] {
                    seen[next] = held
                    bits.append(next == 1)
                    break
                }
                next = 1 - next
            }
            if index % 2 == 0 { try service.lock(2) } else { _ = try service.unlock(2) }
        }
        while count > 0, try service.isHeldByOther(3) {}
        return bits
    }
}
