import Glibc

/// The lock service with the mitigation built in: **partitioning**. Every principal has its own
/// instance of every lock, so what one principal does to its locks is invisible to every other
/// (no shared state, no storage channel), while clients of the same principal synchronize
/// through their locks exactly as before.
///
/// One thread, one `poll` loop over every client; each client's bytes are buffered until a whole
/// two-byte request is there. A lock released (or left by a client that closed its connection)
/// goes to the client of that principal that has waited for it longest.
public enum LockServer {
    private struct Key: Hashable {
        var principal: Int
        var lock: Int
    }

    /// Serves `clients` (connected stream sockets), client i acting for `principals[i]`, until
    /// every client has closed its connection. A client that sends a request the wire format
    /// does not have is disconnected (its locks released); the others go on.
    public static func serve(clients: [Int32], principals: [Int]) {
        var holders: [Key: Int] = [:]
        var waiters: [Key: [Int]] = [:]
        var waiting = Array(repeating: false, count: clients.count)
        var open = Array(repeating: true, count: clients.count)
        var pending = Array(repeating: [UInt8](), count: clients.count)

        func reply(_ client: Int, _ yes: Bool) {
            var byte: UInt8 = yes ? 0x59 : 0x4E
            _ = send(clients[client], &byte, 1, Int32(MSG_NOSIGNAL))
        }
        func release(_ key: Key) {
            holders[key] = nil
            guard var queue = waiters[key], !queue.isEmpty else { return }
            let next = queue.removeFirst()
            waiters[key] = queue
            holders[key] = next
            waiting[next] = false
            reply(next, true)
        }
        func disconnect(_ client: Int) {
            open[client] = false
            waiting[client] = false
            close(clients[client])
            for key in waiters.keys { waiters[key]!.removeAll { $0 == client } }
            for (key, holder) in holders where holder == client { release(key) }
        }
        func handle(_ client: Int, _ operation: UInt8, _ lock: Int) -> Bool {
            guard lock < 4, !waiting[client] else { return false }
            let key = Key(principal: principals[client], lock: lock)
            let holder = holders[key]
            switch operation {
            case 0x4C:  // L
                if holder == nil || holder == client {
                    holders[key] = client
                    reply(client, true)
                } else {
                    waiting[client] = true
                    waiters[key, default: []].append(client)
                }
            case 0x55:  // U
                guard holder == client else { reply(client, false); return true }
                release(key)
                reply(client, true)
            case 0x54:  // T
                let free = holder == nil || holder == client
                if free { holders[key] = client }
                reply(client, free)
            case 0x51:  // Q
                reply(client, holder != nil && holder != client)
            default:
                return false
            }
            return true
        }

        while open.contains(true) {
            let live = clients.indices.filter { open[$0] }
            var descriptors = live.map { pollfd(fd: clients[$0], events: Int16(POLLIN), revents: 0) }
            if poll(&descriptors, nfds_t(descriptors.count), -1) < 0 {
                if errno == EINTR { continue }
                return
            }
            for (position, client) in live.enumerated() where descriptors[position].revents != 0 && open[client] {
                var buffer = [UInt8](repeating: 0, count: 256)
                let count = recv(clients[client], &buffer, buffer.count, 0)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else {
                    disconnect(client)
                    continue
                }
                pending[client] += buffer[0..<count]
                while pending[client].count >= 2 && open[client] {
                    let operation = pending[client][0], lock = Int(pending[client][1])
                    pending[client].removeFirst(2)
                    if !handle(client, operation, lock) { disconnect(client) }
                }
            }
        }
    }
}
