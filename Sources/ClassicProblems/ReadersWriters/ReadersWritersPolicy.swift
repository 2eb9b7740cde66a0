/// Who goes first when readers and writers both want a ``ReadersWritersLock``.
///
/// The course text: "solutions can prioritize either readers or writers; fair solutions
/// prevent starvation of either group". Each policy states the bound it keeps and the
/// starvation it allows; the tests count both.
public enum ReadersWritersPolicy: String, Sendable, Hashable, CaseIterable {
    /// Readers enter whenever no writer is writing, even while writers wait.
    ///
    /// Bound kept: a reader waits only while a writer is inside. Starvation allowed: a steady
    /// stream of overlapping readers keeps a waiting writer out forever.
    case readerPreference
    /// No reader enters while a writer waits; waiting writers go before waiting readers.
    ///
    /// Bound kept: from the moment a writer is waiting, zero reader entries happen before
    /// writers have drained. Starvation allowed: a steady stream of writers keeps readers out.
    case writerPreference
    /// Strict arrival order, with consecutive readers admitted together.
    ///
    /// Bound kept: K = 0, no waiting thread is overtaken by a thread that arrived after it.
    /// Neither side starves; the price is that a reader arriving behind a waiting writer waits
    /// even while other readers are inside.
    case fair
}

/// What a readers-writers lock does, for checks that count overtakes (package use only).
package enum ReadersWritersEvent: Sendable, Equatable {
    /// A thread asked for the lock (inside the lock's monitor, in arrival order).
    case arrived(isWriter: Bool, thread: Int)
    /// It found it could not enter and is about to wait.
    case blocked(isWriter: Bool, thread: Int)
    /// It entered. A thread admitted from the fair policy's line is reported when it is
    /// admitted (by the thread that admits it), which is when the lock counts it inside.
    case entered(isWriter: Bool, thread: Int)
    /// It left.
    case left(isWriter: Bool, thread: Int)
}
