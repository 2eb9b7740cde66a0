import Glibc

/// Part 2: the lock service itself, with a mitigation that closes the covert channel between
/// principals while clients of one principal still synchronize (see the README).
public enum LockServer {
    /// Serves `clients` (connected stream sockets), client i acting for `principals[i]`, until
    /// every client has closed its connection.
    public static func serve(clients: [Int32], principals: [Int]) {
        fatalError("TODO: implement LockServer.serve(clients:principals:)")
    }
}
