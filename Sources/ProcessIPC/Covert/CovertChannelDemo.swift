import CPosixIPC
#if canImport(Glibc)
import Glibc
#endif

/// Runs a covert channel between two real processes and measures its capacity before and after
/// a mitigation (course text 4.3). Timing-dependent: for the CLI and benchmarks, not for tests.
///
/// The sender is a peer process (``PeerMain`` roles `covert-storage-send` / `covert-timing-send`)
/// given a random secret; this process is the receiver. Both follow the same slot clock
/// (``CovertSlots``), so no legitimate channel carries the bits.
public enum CovertChannelDemo {
    /// Bits sent first on the timing channel to calibrate the receiver (not counted).
    static let preambleLength = 16

    /// The default slot: 2 ms for storage (a lock flips fast), 10 ms for timing (a few scheduler
    /// time slices, so contention shows up as a share of the CPU).
    public static func defaultSlot(for kind: CovertChannelKind) -> Duration {
        kind == .storage ? .milliseconds(2) : .milliseconds(10)
    }

    /// The default mitigation: noise for storage, partitioning for timing.
    public static func defaultMitigation(for kind: CovertChannelKind) -> CovertMitigation {
        kind == .storage ? .noise(probability: 0.5) : .partitioning
    }

    /// Measures `kind` without and then with `mitigation`.
    /// - Parameters:
    ///   - bits: secret bits per run.
    ///   - slot: time per bit; nil uses ``defaultSlot(for:)``.
    ///   - mitigation: nil uses ``defaultMitigation(for:)``.
    ///   - executable: the peer program; nil finds it with ``PeerExecutable/locate()``.
    /// - Throws: ``IPCError`` if a process cannot be started or the mitigation is impossible here
    ///   (partitioning needs two CPUs).
    public static func run(
        kind: CovertChannelKind, bits: Int = 128, slot: Duration? = nil, mitigation: CovertMitigation? = nil,
        executable: PeerExecutable? = nil
    ) throws -> CovertChannelReport {
        let slot = slot ?? defaultSlot(for: kind)
        let before = try measure(kind: kind, bits: bits, slot: slot, mitigation: .none, executable: executable)
        let after = try measure(
            kind: kind, bits: bits, slot: slot, mitigation: mitigation ?? defaultMitigation(for: kind), executable: executable)
        return CovertChannelReport(before: before, after: after)
    }

    /// One run of `kind` with `mitigation`: sends a random secret, decodes it, counts errors.
    /// - Throws: as ``run(kind:bits:slot:mitigation:executable:)``.
    public static func measure(
        kind: CovertChannelKind, bits: Int, slot: Duration, mitigation: CovertMitigation,
        executable: PeerExecutable? = nil
    ) throws -> CovertChannelMeasurement {
        guard bits > 0 else { throw IPCError(.invalidArgument, "covert channel", detail: "bits must be positive") }
        let program = try executable ?? PeerExecutable.locate()
        let secret = (0..<bits).map { _ in Bool.random() }
        let slotNanoseconds = UInt64(slot.components.seconds) * 1_000_000_000
            + UInt64(slot.components.attoseconds / 1_000_000_000)
        let sent = kind == .timing ? TimingDecoder.preamble(preambleLength) + secret : secret
        let slots = CovertSlots(start: CovertSlots.now() + 200_000_000, slot: max(slotNanoseconds, 100_000))
        let received: [Bool]
        switch kind {
        case .storage:
            received = try StorageRun(slots: slots, sent: sent, mitigation: mitigation, program: program).receive()
        case .timing:
            let counts = try TimingRun(slots: slots, sent: sent, mitigation: mitigation, program: program).receive()
            let decoder = TimingDecoder(preamble: TimingDecoder.preamble(preambleLength), counts: Array(counts.prefix(preambleLength)))
            received = counts.dropFirst(preambleLength).map(decoder.bit(forCount:))
        }
        return CovertChannelMeasurement(
            kind: kind, mitigation: mitigation, bits: bits,
            errors: CovertChannelMeasurement.errors(sent: secret, received: received),
            slotSeconds: Double(slots.slot) / 1e9)
    }

    /// Starts a noise process for `mitigation`, if it is noise.
    static func startJammer(
        _ mitigation: CovertMitigation, kind: CovertChannelKind, target: String, slots: CovertSlots, count: Int,
        program: PeerExecutable
    ) throws -> PeerProcess? {
        guard case .noise(let probability) = mitigation else { return nil }
        return try PeerProcess.spawn(
            program,
            arguments: ["covert-jam", kind.rawValue, target, "\(slots.start)", "\(slots.slot)", "\(count)", "\(probability)"])
    }
}

/// The storage channel's receiver side of one run.
private struct StorageRun {
    let slots: CovertSlots
    let sent: [Bool]
    let mitigation: CovertMitigation
    let program: PeerExecutable

    func receive() throws -> [Bool] {
        let directory = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        let path = directory + IPCName.unique("covert") + ".lock"
        // Partitioning: the sender's name resolves to its own instance of the file.
        let senderPath = mitigation == .partitioning ? path + ".sender" : path
        defer { unlink(path); unlink(senderPath) }
        let signal = try StorageSignal(path: path)
        let sender = try PeerProcess.spawn(
            program, arguments: ["covert-storage-send", senderPath, "\(slots.start)", "\(slots.slot)", CovertSlots.encode(sent)])
        defer { sender.terminate() }
        let jammer = try CovertChannelDemo.startJammer(mitigation, kind: .storage, target: path, slots: slots, count: sent.count, program: program)
        defer { jammer?.terminate() }
        var bits: [Bool] = []
        for index in sent.indices {
            CovertSlots.sleep(until: slots.middle(index))
            bits.append(signal.probe())
        }
        try sender.wait(timeout: .seconds(5))
        return bits
    }
}

/// The timing channel's receiver side of one run: pins itself to one CPU and counts work.
private struct TimingRun {
    let slots: CovertSlots
    let sent: [Bool]
    let mitigation: CovertMitigation
    let program: PeerExecutable

    func receive() throws -> [Int] {
        let shared = turnstile_allowed_cpu(0)
        let other = turnstile_allowed_cpu(1)
        if mitigation == .partitioning && other < 0 {
            throw IPCError(.invalidArgument, "timing channel partitioning", detail: "needs two CPUs, this process may use one")
        }
        let senderCPU = mitigation == .partitioning ? other : shared
        var saved = [UInt8](repeating: 0, count: turnstile_affinity_size())
        _ = turnstile_affinity_get(&saved)
        defer { _ = turnstile_affinity_set(saved) }
        guard turnstile_pin_to_cpu(shared) == 0 else { throw IPCError.system("sched_setaffinity CPU \(shared)") }
        let sender = try PeerProcess.spawn(
            program, arguments: ["covert-timing-send", "\(senderCPU)", "\(slots.start)", "\(slots.slot)", CovertSlots.encode(sent)])
        defer { sender.terminate() }
        let jammer = try CovertChannelDemo.startJammer(mitigation, kind: .timing, target: "\(shared)", slots: slots, count: sent.count, program: program)
        defer { jammer?.terminate() }
        var counts: [Int] = []
        let margin = slots.slot / 10
        for index in sent.indices {
            CovertSlots.sleep(until: slots.begin(index) + margin)
            counts.append(CovertSlots.countWork(until: slots.begin(index + 1) - margin))
        }
        try sender.wait(timeout: .seconds(5))
        return counts
    }
}
