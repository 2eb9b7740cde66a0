/// One location's stores under the release/acquire model, in modification order.
struct WeakLocation {
    /// One store: the value and what its writer made visible with it.
    struct Message {
        /// The stored value.
        let value: Any
        /// The view an acquiring reader of this store joins: the writer's whole view for a
        /// releasing store, only this store for a relaxed one (plus, for a read-modify-write,
        /// the view of the store it read: a release sequence).
        let view: [Int]
    }

    /// Kept alive so its identity (the slot's key) is not reused within the execution.
    let object: AnyObject
    /// Stores, oldest first; the first is the value the location had when first touched.
    var messages: [Message]
    /// The location's name in traces.
    let label: String
}

extension MemoryOrdering {
    /// Whether a load or read-modify-write with this ordering acquires.
    var acquires: Bool { self == .acquiring || self == .acquiringAndReleasing || self == .sequentiallyConsistent }
    /// Whether a store or read-modify-write with this ordering releases.
    var releases: Bool { self == .releasing || self == .acquiringAndReleasing || self == .sequentiallyConsistent }
}

extension ControlledScheduler {
    /// Joins `other` into `view`, slot by slot (the larger store number wins).
    static func join(_ view: inout [Int], _ other: [Int]) {
        if other.count > view.count { view.append(contentsOf: repeatElement(0, count: other.count - view.count)) }
        for slot in other.indices where other[slot] > view[slot] { view[slot] = other[slot] }
    }

    private func slot(of object: AnyObject, label: String, initial: () -> Any) -> Int {
        let key = ObjectIdentifier(object)
        if let slot = weakSlots[key] { return slot }
        let slot = weakLocations.count
        weakSlots[key] = slot
        weakLocations.append(WeakLocation(object: object, messages: [.init(value: initial(), view: [])], label: label))
        return slot
    }

    private func see(_ thread: LogicalThread, slot: Int, store: Int) {
        if slot >= thread.view.count { thread.view.append(contentsOf: repeatElement(0, count: slot + 1 - thread.view.count)) }
        thread.view[slot] = max(thread.view[slot], store)
    }

    /// A full fence under the release/acquire model (lock, unlock, spawn, join, thread end,
    /// `Runtime.fence`): the thread sees everything any fenced or sequentially consistent
    /// operation saw before, and publishes what it has seen. Does nothing under other models.
    func weakFence() {
        guard weakMemory else { return }
        let thread = threads[current]
        Self.join(&thread.view, sequentialView)
        Self.join(&sequentialView, thread.view)
    }

    /// A load under the release/acquire model: asks the strategy which store, among those the
    /// thread may still see, it reads (the newest is choice 0), and returns its value and a
    /// note when it is not the newest.
    ///
    /// - Parameters:
    ///   - object: The location.
    ///   - label: Its name in traces.
    ///   - ordering: The load's ordering; acquiring joins the writer's view.
    ///   - current: The location's value now (the newest store), used when first touched.
    func weakLoad(
        _ object: AnyObject, label: String, ordering: MemoryOrdering, location: SourceLocation, current: () -> Any
    ) -> (value: Any, stale: String?) {
        let slot = slot(of: object, label: label, initial: current)
        let thread = threads[self.current]
        if ordering == .sequentiallyConsistent { Self.join(&thread.view, sequentialView) }
        let seen = slot < thread.view.count ? thread.view[slot] : 0
        let messages = weakLocations[slot].messages
        let newest = messages.count - 1
        var read = newest
        if newest > seen {
            let offered = (seen...newest).reversed().map { Choice.read($0) }
            read = newest - decideData(offered, kind: .readFrom)
        }
        see(thread, slot: slot, store: read)
        if ordering.acquires { Self.join(&thread.view, messages[read].view) }
        if ordering == .sequentiallyConsistent { Self.join(&sequentialView, thread.view) }
        guard read < newest else { return (messages[read].value, nil) }
        let old = Self.describe(messages[read].value)
        let latest = Self.describe(messages[newest].value)
        let note = "read a stale \(old) (\(latest) was stored later)"
        staleReads.append("\(thread.name): load \(label) at \(location) \(note)")
        return (messages[read].value, note)
    }

    /// A store under the release/acquire model: appended at the end of the location's
    /// modification order, carrying the thread's view when it releases.
    func weakStore(_ object: AnyObject, label: String, value: Any, ordering: MemoryOrdering, previous: () -> Any) {
        let slot = slot(of: object, label: label, initial: previous)
        let thread = threads[current]
        if ordering == .sequentiallyConsistent { Self.join(&thread.view, sequentialView) }
        let store = weakLocations[slot].messages.count
        see(thread, slot: slot, store: store)
        var view = ordering.releases ? thread.view : Array(repeating: 0, count: slot + 1)
        view[slot] = store
        weakLocations[slot].messages.append(.init(value: value, view: view))
        if ordering == .sequentiallyConsistent { Self.join(&sequentialView, thread.view) }
    }

    /// A read-modify-write under the release/acquire model, after it ran on the newest value
    /// `old`: it read the newest store (atomicity), and, when it changed the value (`new` not
    /// nil; a failed compare-exchange does not), appends a store continuing the read store's
    /// release sequence.
    func weakReadModifyWrite(_ object: AnyObject, label: String, ordering: MemoryOrdering, old: Any, new: Any?) {
        let slot = slot(of: object, label: label, initial: { old })
        let thread = threads[current]
        if ordering == .sequentiallyConsistent { Self.join(&thread.view, sequentialView) }
        let newest = weakLocations[slot].messages.count - 1
        let read = weakLocations[slot].messages[newest]
        see(thread, slot: slot, store: newest)
        if ordering.acquires { Self.join(&thread.view, read.view) }
        if let new {
            let store = newest + 1
            see(thread, slot: slot, store: store)
            var view = ordering.releases ? thread.view : Array(repeating: 0, count: slot + 1)
            view[slot] = store
            Self.join(&view, read.view)
            weakLocations[slot].messages.append(.init(value: new, view: view))
        }
        if ordering == .sequentiallyConsistent { Self.join(&sequentialView, thread.view) }
    }

    private static func describe(_ value: Any) -> String {
        let text = String(describing: value)
        return text.count > 40 ? String(text.prefix(39)) + "…" : text
    }
}
