/// The sending end of your covert storage channel through the state of the service's locks.
///
/// Describe your protocol here: which lock carries what, and how each side knows when the
/// other has moved on.
public enum CovertSender {
    /// Sends `bits` to the receiver through the locks of `service`. Return only once your
    /// receiver has read the last bit: when this returns, the grader closes the connection,
    /// which releases every lock your sender still holds.
    public static func send(_ bits: [Bool], over service: LockClient) throws {
        fatalError("TODO: implement CovertSender.send(_:over:)")
    }
}
