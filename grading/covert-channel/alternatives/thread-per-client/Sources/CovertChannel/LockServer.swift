import Glibc

/// A partitioned lock server with a thread per client, blocking in `recv`, and one mutex and
/// condition over the whole table: a waiting `L` sleeps on the condition until the releaser has
/// made it the holder (hand-over in order of waiting).
public enum LockServer {
    final class Table {
        var mutex = pthread_mutex_t()
        var changed = pthread_cond_t()
        /// Holder of each (principal, lock), as principal * 4 + lock.
        var holders: [Int: Int] = [:]
        var queues: [Int: [Int]] = [:]

        init() {
            pthread_mutex_init(&mutex, nil)
            pthread_cond_init(&changed, nil)
        }

        /// Frees `slot` or hands it to its longest waiter. Called with the mutex held.
        func release(_ slot: Int) {
            if var queue = queues[slot], !queue.isEmpty {
                holders[slot] = queue.removeFirst()
                queues[slot] = queue
                pthread_cond_broadcast(&changed)
            } else {
                holders[slot] = nil
            }
        }
    }

    final class Connection {
        let table: Table
        let socket: Int32
        let client: Int
        let principal: Int

        init(table: Table, socket: Int32, client: Int, principal: Int) {
            self.table = table
            self.socket = socket
            self.client = client
            self.principal = principal
        }

        func reply(_ yes: Bool) {
            var byte: UInt8 = yes ? 0x59 : 0x4E
            _ = send(socket, &byte, 1, Int32(MSG_NOSIGNAL))
        }

        func readRequest() -> (UInt8, Int)? {
            var bytes: [UInt8] = [0, 0]
            var got = 0
            while got < 2 {
                let count = bytes.withUnsafeMutableBytes { recv(socket, $0.baseAddress! + got, 2 - got, 0) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { return nil }
                got += count
            }
            return (bytes[0], Int(bytes[1]))
        }

        func run() {
            while let (operation, lock) = readRequest(), lock < 4, [0x4C, 0x55, 0x54, 0x51].contains(operation) {
                let slot = principal * 4 + lock
                pthread_mutex_lock(&table.mutex)
                let holder = table.holders[slot]
                switch operation {
                case 0x4C:
                    if holder != nil && holder != client {
                        table.queues[slot, default: []].append(client)
                        while table.holders[slot] != client { pthread_cond_wait(&table.changed, &table.mutex) }
                    }
                    table.holders[slot] = client
                    reply(true)
                case 0x55:
                    if holder == client { table.release(slot) }
                    reply(holder == client)
                case 0x54:
                    let free = holder == nil || holder == client
                    if free { table.holders[slot] = client }
                    reply(free)
                default:
                    reply(holder != nil && holder != client)
                }
                pthread_mutex_unlock(&table.mutex)
            }
            // End of file or a malformed request: disconnect, releasing everything held.
            close(socket)
            pthread_mutex_lock(&table.mutex)
            for slot in table.holders.keys.sorted() where table.holders[slot] == client { table.release(slot) }
            pthread_mutex_unlock(&table.mutex)
        }
    }

    /// Serves `clients`, client i acting for `principals[i]`, until every client has closed.
    public static func serve(clients: [Int32], principals: [Int]) {
        let table = Table()
        var threads: [pthread_t] = []
        for (index, socket) in clients.enumerated() {
            let connection = Connection(table: table, socket: socket, client: index, principal: principals[index])
            var thread = pthread_t()
            let context = Unmanaged.passRetained(connection).toOpaque()
            pthread_create(&thread, nil, { raw in
                Unmanaged<Connection>.fromOpaque(raw!).takeRetainedValue().run()
                return nil
            }, context)
            threads.append(thread)
        }
        for thread in threads { pthread_join(thread, nil) }
    }
}
