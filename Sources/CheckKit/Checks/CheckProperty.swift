/// The property a check is about, named in its failure and recorded in the gradebook, so an
/// instructor can see what a class got wrong (every "fairness" failure) without reading
/// messages.
///
/// A failure the engine itself detects keeps its own kind (deadlock, livelock, starvation,
/// misuse); an assertion failure is recorded under the property its check declares.
public enum CheckProperty: String, Sendable, Codable, CaseIterable {
    /// At most one thread (or one writer) inside a critical section.
    case mutualExclusion = "mutual exclusion"
    /// Every item put is got exactly once; nothing invented.
    case noLostItems = "no lost or duplicated item"
    /// Items, permits or entries in the order the specification gives.
    case order = "order"
    /// Never more than a stated number holding or held (buffer capacity, permits, a multiplex limit).
    case capacity = "capacity"
    /// An operation that must wait does, and one that may go on does.
    case blocking = "blocking"
    /// A wakeup or signal is never lost.
    case noLostWakeup = "no lost wakeup"
    /// Nobody waits for ever while the others are blocked.
    case noDeadlock = "no deadlock"
    /// A thread alone, or all together, finish.
    case progress = "progress"
    /// No thread is overtaken more than the stated bound, and nobody starves.
    case fairness = "fairness"
    /// Who may enter when several want to, as a stated policy says.
    case admissionPolicy = "admission policy"
    /// Nobody passes a barrier before every party has arrived, round after round.
    case rendezvous = "rendezvous"
    /// Correct when a wait returns without a signal.
    case spuriousWakeups = "robust to spurious wakeups"
    /// Every concurrent history is explained by one sequential order.
    case linearizability = "linearizability"
    /// Correct under a weak memory model (the orderings are strong enough).
    case memoryOrdering = "memory ordering"
    /// Bytes on the wire as the assignment's protocol specifies them (framing, byte order, layout).
    case wireFormat = "wire format"
    /// Every message arrives whole, unchanged and in order, in both directions.
    case integrity = "message integrity"
    /// Correct when a read or write moves fewer bytes than asked (short reads and writes).
    case partialIO = "partial reads and writes"
    /// A call interrupted by a signal (`EINTR`) is retried, never taken for an error or an end.
    case interruptedCalls = "interrupted calls (EINTR)"
    /// A malformed, oversize or truncated message is rejected without a crash or a hang.
    case malformedInput = "robust to malformed input"
    /// A peer that dies or vanishes mid-message is noticed and handled.
    case peerDeath = "peer death"
    /// Shutting down finishes or closes everything and ends the program.
    case cleanShutdown = "clean shutdown"
    /// Descriptors, shared objects and processes are released when no longer needed.
    case resourceLeaks = "no leaked resources"
    /// Waiting blocks in the kernel instead of spinning on the processor.
    case blockingNotSpinning = "blocks without spinning"
    /// Information flows only upwards in the label lattice: no read up, no write down.
    case informationFlow = "no read up, no write down"
    /// Every operation is checked, on every use, and whatever is not allowed is denied.
    case completeMediation = "complete mediation"
    /// Every denial is recorded, once, in order, with who asked for what.
    case audit = "audit of denials"
    /// A token changed in any way, or issued by someone else, is refused.
    case unforgeability = "unforgeable tokens"
    /// Delegation passes on at most the rights held: rights only shrink.
    case attenuation = "rights only shrink"
    /// A revoked right is gone at once, with everything derived from it.
    case revocation = "revocation"
    /// Data at rest in shared memory never shows in plaintext.
    case confidentiality = "confidentiality"
    /// Stored data moved, rolled back or altered is refused, never returned.
    case tamperDetection = "tampering detected"
    /// A nonce is never used twice under one key.
    case nonceUniqueness = "nonce never reused"
    /// Memory handed out again, or left behind, never shows what an earlier user put there.
    case noResidualData = "no residual data"
    /// A write past a buffer's bounds is refused, or detected in the guard beside it.
    case overflowDetection = "overflow detected"
    /// A buffer released is not usable until acquired again, and not released twice.
    case useAfterRelease = "no use after release"
    /// A covert channel carries as many bits per use of the shared resource as it should.
    case channelCapacity = "channel capacity"
    /// A record replayed, reordered, dropped or reflected back to its sender is refused.
    case replayDetection = "replay and reordering detected"
    /// A stream cut short, or added to after its end, is noticed.
    case truncationDetection = "truncation detected"
    /// Only a peer whose key is pinned is accepted.
    case peerAuthentication = "peer authentication"
    /// A signature binds the sender to exactly this session's messages.
    case nonRepudiation = "non-repudiation"
    /// Once a channel has refused a record it refuses everything after.
    case stickyFailure = "failure is final"
}
