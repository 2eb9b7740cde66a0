import PeerKit

/// The reference channel's two ends (the protocol of `ReferenceChannel`) as step machines, so
/// the grader can drive them one request at a time against any lock service — your server or
/// the shared model — in an order it chooses.
struct ReferenceSteps {
    /// One end: the next request (nil when done), then the reply to it.
    protocol End {
        mutating func next() -> (Character, Int)?
        mutating func handle(_ reply: Bool)
    }

    struct Sender: End {
        let bits: [Bool]
        private var index = 0
        private var holdingData = false
        private var stage = Stage.presence
        private enum Stage { case presence, data, clock, acknowledgement, leave, done }

        init(bits: [Bool]) {
            self.bits = bits
            if bits.isEmpty { stage = .done }
        }

        private var phase: Bool { index % 2 == 0 }

        mutating func next() -> (Character, Int)? {
            switch stage {
            case .presence: return ("L", 3)
            case .data:
                if bits[index] == holdingData {
                    stage = .clock
                    return next()
                }
                return (bits[index] ? "L" : "U", 0)
            case .clock: return (phase ? "L" : "U", 1)
            case .acknowledgement: return ("Q", 2)
            case .leave: return ("U", 3)
            case .done: return nil
            }
        }

        mutating func handle(_ reply: Bool) {
            switch stage {
            case .presence: stage = .data
            case .data:
                holdingData = bits[index]
                stage = .clock
            case .clock: stage = .acknowledgement
            case .acknowledgement:
                guard reply == phase else { return }
                index += 1
                stage = index == bits.count ? .leave : .data
            case .leave: stage = .done
            case .done: break
            }
        }
    }

    struct Receiver: End {
        let count: Int
        private(set) var bits: [Bool] = []
        private var stage = Stage.clock
        private enum Stage { case clock, data, acknowledge, awaitLeaving, done }

        init(count: Int) {
            self.count = count
            if count == 0 { stage = .done }
        }

        private var phase: Bool { bits.count % 2 == 0 }

        mutating func next() -> (Character, Int)? {
            switch stage {
            case .clock: return ("Q", 1)
            case .data: return ("Q", 0)
            case .acknowledge: return ((bits.count - 1) % 2 == 0 ? "L" : "U", 2)
            case .awaitLeaving: return ("Q", 3)
            case .done: return nil
            }
        }

        mutating func handle(_ reply: Bool) {
            switch stage {
            case .clock: if reply == phase { stage = .data }
            case .data:
                bits.append(reply)
                stage = .acknowledge
            case .acknowledge: stage = bits.count == count ? .awaitLeaving : .clock
            case .awaitLeaving: if !reply { stage = .done }
            case .done: break
            }
        }
    }

    /// Runs `secret` from a sender to a receiver through `service` (one request and its reply
    /// at a time; a request that waits fails the run) in rounds ordered by `seed`, for at most
    /// `maxRounds` rounds; returns what the receiver decoded so far and the rounds taken.
    static func transfer(
        _ secret: [Bool], seed: UInt64, maxRounds: Int, service: (_ end: Int, _ operation: Character, _ lock: Int) throws -> Bool?
    ) throws -> ChannelRun.Transfer {
        var sender = Sender(bits: secret), receiver = Receiver(count: secret.count)
        var random = PeerRandom(seed: seed)
        var rounds = 0
        while rounds < maxRounds {
            let senderRequest = sender.next(), receiverRequest = receiver.next()
            if senderRequest == nil && receiverRequest == nil { break }
            let order = random.next() & 1 == 1 ? [1, 0] : [0, 1]
            for end in order {
                if end == 0, let (operation, lock) = senderRequest {
                    guard let reply = try service(0, operation, lock) else { return ChannelRun.Transfer(sent: secret, received: receiver.bits, rounds: maxRounds) }
                    sender.handle(reply)
                } else if end == 1, let (operation, lock) = receiverRequest {
                    guard let reply = try service(1, operation, lock) else { return ChannelRun.Transfer(sent: secret, received: receiver.bits, rounds: maxRounds) }
                    receiver.handle(reply)
                }
            }
            rounds += 1
        }
        return ChannelRun.Transfer(sent: secret, received: receiver.bits, rounds: max(1, rounds))
    }
}
