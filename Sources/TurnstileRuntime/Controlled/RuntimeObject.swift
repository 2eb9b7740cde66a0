/// Common identity of every runtime object (lock, condition, shared variable, atomic), so a
/// controlled trace can name it.
///
/// Subclasses are the runtime's own types; student code never subclasses it.
public class RuntimeObject: @unchecked Sendable {
    // Safety: `epoch` and `label` are touched only by the controlled scheduler, which runs
    // every logical thread on one OS thread.
    /// The name given at creation, if any.
    public let name: String?
    private let kindName: StaticString
    var epoch: UInt64 = 0
    var label: String = ""
    /// The object's identity for dependency tracking (partial-order reduction): its creation
    /// order in the execution that made it, or a process-wide number for an object made outside
    /// any execution. See ``ControlledScheduler/newObjectSerial()``.
    let serial: Int

    init(name: String?, kind: StaticString) {
        self.name = name
        self.kindName = kind
        self.serial = ControlledScheduler.newObjectSerial()
    }

    /// The object's name in the current execution: its given name, or `kind#n` numbered in
    /// order of first use, so the same schedule always names it the same way.
    func controlledLabel(_ scheduler: ControlledScheduler) -> String {
        if epoch != scheduler.epoch {
            epoch = scheduler.epoch
            scheduler.objectCounter += 1
            label = name ?? "\(kindName)#\(scheduler.objectCounter)"
        }
        return label
    }
}
