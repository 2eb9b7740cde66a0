import Glibc

/// A request/response service over length-framed byte streams. Read README.md first: it is the
/// protocol specification the grader's peer holds your program to.
///
/// You may import `Glibc` and `Foundation` (threads, `poll`, sockets) and use unsafe pointers;
/// your program runs in a sandbox of its own, and only what the grader's peer sees on the
/// sockets and pipes it handed over counts.
public enum FramedService {
    /// The largest payload a frame may announce, in bytes.
    public static let maximumPayload = 65_536

    /// The response to one request: its bytes in reverse order.
    static func respond(to request: ArraySlice<UInt8>) -> [UInt8] {
        Array(request.reversed())
    }

    /// Serves every client that connects to `listener` (a listening Unix-domain stream socket)
    /// until `shutdown` becomes readable; then closes every connection it accepted and returns.
    /// Several clients at once; a client that stalls must not hold up the others.
    public static func serve(listener: Int32, shutdown: Int32) {
        fatalError("TODO: implement FramedService.serve(listener:shutdown:)")
    }

    /// Serves one client over a pipe pair: requests arrive on `input`, responses go to `output`,
    /// until `input` reaches end of file (or announces an oversize frame); then returns.
    public static func serve(input: Int32, output: Int32) {
        fatalError("TODO: implement FramedService.serve(input:output:)")
    }
}
