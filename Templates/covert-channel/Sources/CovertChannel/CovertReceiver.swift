/// The receiving end of your covert storage channel.
public enum CovertReceiver {
    /// Decodes `count` bits from the locks of `service`, in the order they were sent.
    public static func receive(count: Int, over service: LockClient) throws -> [Bool] {
        fatalError("TODO: implement CovertReceiver.receive(count:over:)")
    }
}
