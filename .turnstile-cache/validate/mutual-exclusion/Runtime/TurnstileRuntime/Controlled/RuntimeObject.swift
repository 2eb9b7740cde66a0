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

    init(name: String?, kind: StaticString) {
        self.name = name
        self.kindName = kind
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
