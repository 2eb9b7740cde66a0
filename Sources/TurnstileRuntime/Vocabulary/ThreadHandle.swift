#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A thread started by ``Runtime/spawn(name:file:line:_:)``; join it to wait for its end.
public final class ThreadHandle: @unchecked Sendable {
    // Safety: `joined` is set once by the joining thread; joining twice is a documented
    // precondition failure, as with pthreads.
    enum Backing {
        case native(pthread_t)
        case controlled(Int)
    }

    let backing: Backing
    /// The runtime's identity of the thread (see ``Runtime/currentThreadID``).
    public let id: Int
    private var joined = false

    init(_ backing: Backing, id: Int) {
        self.backing = backing
        self.id = id
    }

    /// Blocks until the thread has finished.
    ///
    /// - Precondition: called once per thread, not by the thread itself.
    public func join(file: StaticString = #fileID, line: UInt = #line) {
        precondition(!joined, "a thread can be joined only once")
        joined = true
        switch backing {
        case .native(let thread):
            NativeThread.join(thread)
        case .controlled(let target):
            guard let scheduler = ControlledScheduler.active else {
                preconditionFailure("a thread spawned under the controlled engine was joined outside it")
            }
            scheduler.join(target, SourceLocation(file: file, line: line))
        }
    }
}

extension ControlledScheduler {
    func spawn(name: String?, _ location: SourceLocation, _ body: @escaping () -> Void) -> ThreadHandle {
        // Creating a thread synchronizes: the child sees everything its parent stored before.
        drainCurrentBuffer()
        weakFence()
        let thread = makeThread(name: name, body: body)
        thread.view = threads[current].view
        record(.spawn, thread.name, location)
        let handle = ThreadHandle(.controlled(thread.id), id: thread.id)
        decide(yielding: false)
        return handle
    }

    func join(_ target: Int, _ location: SourceLocation) {
        decide(yielding: false)
        accessThread(target, write: false)
        if target == current {
            fail(.deadlock, "\(threads[current].name) joins itself at \(location)")
        }
        while !threads[target].isFinished {
            threads[current].state = .blocked(.join(target))
            record(.blocked, threads[target].name, location)
            decide(yielding: false)
            accessThread(target, write: false)
        }
        weakFence()
        record(.join, threads[target].name, location)
    }
}
