/// The lock service's semantics as a model the grader compares a server with: four locks per
/// namespace, `L` waits and is granted in order of waiting, `U` by a non-holder is refused, `T`
/// never waits, `Q` asks whether another client holds the lock, and a closed connection releases
/// everything. `partitioned`: each principal has its own namespace (the mitigation); otherwise
/// there is one namespace for all (the shared service a covert channel uses).
struct LockModel {
    enum Outcome: Equatable {
        case reply(Bool)
        case waits
    }

    struct Key: Hashable {
        var namespace: Int
        var lock: Int
    }

    let principals: [Int]
    let partitioned: Bool
    private(set) var holders: [Key: Int] = [:]
    private(set) var queues: [Key: [Int]] = [:]
    private(set) var waiting: Set<Int> = []
    private(set) var closed: Set<Int> = []

    init(principals: [Int], partitioned: Bool) {
        self.principals = principals
        self.partitioned = partitioned
    }

    func key(_ client: Int, _ lock: Int) -> Key { Key(namespace: partitioned ? principals[client] : 0, lock: lock) }

    func holder(_ client: Int, _ lock: Int) -> Int? { holders[key(client, lock)] }

    /// Carries out one request; returns its outcome and the waiting clients it granted a lock.
    mutating func apply(_ client: Int, _ operation: Character, _ lock: Int) -> (Outcome, granted: [Int]) {
        let key = key(client, lock)
        let holder = holders[key]
        switch operation {
        case "L":
            if holder == nil || holder == client {
                holders[key] = client
                return (.reply(true), [])
            }
            waiting.insert(client)
            queues[key, default: []].append(client)
            return (.waits, [])
        case "U":
            guard holder == client else { return (.reply(false), []) }
            return (.reply(true), release(key))
        case "T":
            let free = holder == nil || holder == client
            if free { holders[key] = client }
            return (.reply(free), [])
        default:
            return (.reply(holder != nil && holder != client), [])
        }
    }

    /// The client's connection closes: every lock it holds is released; returns who got one.
    mutating func close(_ client: Int) -> [Int] {
        closed.insert(client)
        waiting.remove(client)
        for key in queues.keys { queues[key]!.removeAll { $0 == client } }
        var granted: [Int] = []
        for (key, holder) in holders.sorted(by: { ($0.key.namespace, $0.key.lock) < ($1.key.namespace, $1.key.lock) }) where holder == client {
            granted += release(key)
        }
        return granted
    }

    private mutating func release(_ key: Key) -> [Int] {
        holders[key] = nil
        guard var queue = queues[key], !queue.isEmpty else { return [] }
        let next = queue.removeFirst()
        queues[key] = queue
        holders[key] = next
        waiting.remove(next)
        return [next]
    }
}
