import TurnstileRuntime

// A correct Peterson lock written unlike the reference: Herlihy and Shavit's form, where each
// thread volunteers to be the "victim" and waits while the other is interested and it is still
// the victim; it yields on every spin.
public final class PetersonLock: @unchecked Sendable {
    private let interested = [AtomicBool(false, name: "interested[0]"), AtomicBool(false, name: "interested[1]")]
    private let victim = AtomicInt(-1, name: "victim")

    public init() {}

    public func lock(_ me: Int) {
        precondition(me == 0 || me == 1, "Peterson's lock is for threads 0 and 1")
        interested[me].store(true)
        victim.store(me)
        while interested[1 - me].load() && victim.load() == me {
            Runtime.yield()
        }
    }

    public func unlock(_ me: Int) {
        interested[me].store(false)
    }
}
