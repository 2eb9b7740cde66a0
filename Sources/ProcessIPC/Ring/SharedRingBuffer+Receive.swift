import CPosixIPC
#if canImport(Glibc)
import Glibc
#endif

extension SharedRingBuffer {
    /// Receives one message and hands it to `body` in place (valid only during `body`).
    /// - Parameters:
    ///   - timeout: the longest wait for a message; nil waits while the producer lives.
    ///   - body: reads the message.
    /// - Throws: ``IPCError`` `.timedOut`, `.peerClosed` (closed and drained), `.peerVanished`,
    ///   `.protocolViolation` (corrupt record), or what `body` throws.
    public func receive<R>(timeout: Duration? = nil, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        precondition(role == .consumer, "receive on the producer end of a ring")
        let mask = UInt64(capacity - 1)
        while true {
            let head = header.head.loadRelaxed()
            let isEmpty = { self.header.tail.loadSequential() == head }
            if isEmpty() {
                let finished = producersFinished
                try block(
                    until: { !isEmpty() || finished(self.header) },
                    signal: header.dataSignal, sleeping: header.consumerSleeping,
                    timeout: timeout, operation: "ring receive", peerCheck: { try self.checkPeer(or: self.producersAlive, $0) })
                if isEmpty() { throw IPCError(.peerClosed, "ring receive") }
            }
            let published = header.tail.loadSequential() &- head
            guard published <= UInt64(capacity) else {
                throw IPCError(.protocolViolation, "ring receive", detail: "the producer's tail is \(published) bytes ahead of the head in a ring of \(capacity)")
            }
            let offset = Int(head & mask)
            let record = header.data + offset
            let length = Int(record.load(as: UInt32.self))
            let kind = (record + 4).load(as: UInt32.self)
            let toEnd = capacity - offset
            guard RingHeader.recordSize(length) <= toEnd, kind == RingHeader.kindMessage || kind == RingHeader.kindWrap
            else { throw IPCError(.protocolViolation, "ring receive", detail: "corrupt record at \(offset)") }
            if kind == RingHeader.kindWrap {
                release(upTo: head + UInt64(toEnd))
                continue
            }
            let result = try body(UnsafeRawBufferPointer(start: record + RingHeader.recordHeaderSize, count: length))
            release(upTo: head + UInt64(RingHeader.recordSize(length)))
            return result
        }
    }

    /// Receives one message as a new array.
    /// - Throws: as ``receive(timeout:_:)``.
    public func receive(timeout: Duration? = nil) throws -> [UInt8] {
        try receive(timeout: timeout) { Array($0) }
    }

    /// Sends one message copied from `bytes`.
    /// - Throws: as ``send(count:timeout:_:)``.
    public func send(_ bytes: UnsafeRawBufferPointer, timeout: Duration? = nil) throws {
        try send(count: bytes.count, timeout: timeout) { target in
            if let source = bytes.baseAddress { target.baseAddress!.copyMemory(from: source, byteCount: bytes.count) }
        }
    }

    /// Sends one message copied from `bytes`.
    /// - Throws: as ``send(count:timeout:_:)``.
    public func send(_ bytes: [UInt8], timeout: Duration? = nil) throws {
        try bytes.withUnsafeBytes { try send($0, timeout: timeout) }
    }

    /// Asks ``peerLiveness`` if set, else runs `pidCheck` on the header.
    func checkPeer(or pidCheck: (RingHeader) throws -> Void, _ header: RingHeader) throws {
        guard let peerLiveness else { return try pidCheck(header) }
        if !peerLiveness.isAlive() { throw IPCError(.peerVanished, "ring", detail: "the other end's liveness check failed") }
    }

    /// Throws ``IPCError/Code/peerVanished`` if the pid in `word` (when set) is a dead process.
    static func checkPID(_ word: SharedUInt32) throws {
        let pid = pid_t(bitPattern: word.loadAcquiring())
        if pid != 0 && !PeerLiveness.processIsAlive(pid) {
            throw IPCError(.peerVanished, "ring", detail: "process \(pid) is gone")
        }
    }

    /// Gives the consumed space back and wakes a producer that sleeps for it.
    private func release(upTo head: UInt64) {
        header.head.storeSequential(head)
        if header.producerSleeping.loadSequential() != 0 {
            header.spaceSignal.increment()
            header.spaceSignal.wake()
        }
    }

    /// Spins, then sleeps on `signal` until `condition` holds, the deadline passes or the peer dies.
    ///
    /// The sleeper announces itself in `sleeping` and re-checks `condition` before the futex
    /// wait; the other side updates its position before reading `sleeping` (both sequentially
    /// consistent), so one of them always sees the other: no lost wake-up.
    func block(
        until condition: () -> Bool, signal: SharedUInt32, sleeping: SharedUInt32,
        timeout: Duration?, operation: String, peerCheck: (RingHeader) throws -> Void
    ) throws {
        let deadline = Deadline(after: timeout)
        let spinStart = Deadline.now()
        let spinNanoseconds = UInt64(spinDuration.components.attoseconds / 1_000_000_000)
            + UInt64(spinDuration.components.seconds) * 1_000_000_000
        var now = spinStart
        while now - spinStart < spinNanoseconds {
            for _ in 0..<64 {
                if condition() { return }
                turnstile_cpu_relax()
            }
            // After the first fifth of the budget, yield between rounds: if the peer is waiting
            // for this CPU (more runnable processes than cores), it runs now, not after our spin.
            if (now - spinStart) * 5 > spinNanoseconds { sched_yield() }
            now = Deadline.now()
        }
        while true {
            let seen = signal.loadSequential()
            sleeping.storeSequential(1)
            if condition() {
                sleeping.storeSequential(0)
                return
            }
            signal.wait(whileEqualTo: seen, nanoseconds: deadline.remaining(cappedAt: livenessSliceNanoseconds))
            sleeping.storeSequential(0)
            if condition() { return }
            if deadline.hasPassed { throw IPCError(.timedOut, operation) }
            do {
                try peerCheck(header)
            } catch var error as IPCError {
                error.operation = operation
                throw error
            }
        }
    }
}
