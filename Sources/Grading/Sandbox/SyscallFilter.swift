/// A seccomp filter the sandbox installs before the program starts: a short, fixed list of
/// system calls (and `fcntl` commands) fails with `EPERM`, and everything else is allowed.
///
/// Why it exists: programs in separate sandboxes still see the same read-only system files (the
/// same inodes), so a lock on one of them, or a notification when one is opened, would let two
/// instances of a student's program signal each other outside anything the grader serves and
/// counts. ``fileLocksAndNotifications`` refuses exactly those: `flock`; `fcntl`'s record locks
/// (`F_GETLK`, `F_SETLK`, `F_SETLKW` and their open-file-description forms), leases
/// (`F_SETLEASE`, `F_GETLEASE`) and directory notification (`F_NOTIFY`); `inotify`; `fanotify`;
/// and `io_uring`, which could reach them by another path. A call through another system-call
/// ABI than the native one (x32, or i386's `int 0x80` on x86-64) is refused whatever it is, so
/// a refused call cannot be reached under another number.
///
/// The filter is a classic BPF program (`struct sock_filter` records, native byte order), the
/// form `bwrap --seccomp` reads from a descriptor. It is built for the architecture Turnstile is
/// compiled for: x86-64 or arm64.
public struct SyscallFilter: Sendable, Equatable {
    /// The system-call numbers refused outright.
    public let deniedCalls: [UInt32]
    /// The `fcntl` commands refused.
    public let deniedFcntlCommands: [UInt32]

    /// Refuses file locks, leases and file notifications: what two sandboxes could use on a
    /// file both see. Programs that use none of them (every assignment's program) run as before.
    public static let fileLocksAndNotifications = SyscallFilter(
        deniedCalls: Architecture.native.fileLockAndNotificationCalls,
        deniedFcntlCommands: [
            5, 6, 7,  // F_GETLK, F_SETLK, F_SETLKW
            36, 37, 38,  // F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW
            1_024, 1_025, 1_026,  // F_SETLEASE, F_GETLEASE, F_NOTIFY
        ])

    /// The native architecture's audit number and system-call numbers.
    struct Architecture {
        let audit: UInt32
        let fcntl: UInt32
        let fileLockAndNotificationCalls: [UInt32]
        /// Numbers at or above this belong to another ABI on the same audit architecture (x32).
        let foreignABIBit: UInt32?

        #if arch(x86_64)
        // flock, inotify_init, inotify_add_watch, inotify_init1, fanotify_init, fanotify_mark,
        // io_uring_setup, io_uring_enter, io_uring_register.
        static let native = Architecture(
            audit: 0xC000_003E, fcntl: 72, fileLockAndNotificationCalls: [73, 253, 254, 294, 300, 301, 425, 426, 427],
            foreignABIBit: 0x4000_0000)
        #elseif arch(arm64)
        // flock, inotify_init1, inotify_add_watch, fanotify_init, fanotify_mark, io_uring_*.
        static let native = Architecture(
            audit: 0xC000_00B7, fcntl: 25, fileLockAndNotificationCalls: [32, 26, 27, 262, 263, 425, 426, 427],
            foreignABIBit: nil)
        #else
        #error("SyscallFilter knows the system-call numbers of x86-64 and arm64 only")
        #endif
    }

    /// One `struct sock_filter`.
    struct Instruction: Equatable {
        var code: UInt16
        var jumpIfTrue: UInt8 = 0
        var jumpIfFalse: UInt8 = 0
        var constant: UInt32

        static let loadWord: UInt16 = 0x20  // BPF_LD | BPF_W | BPF_ABS
        static let jumpIfEqual: UInt16 = 0x15  // BPF_JMP | BPF_JEQ | BPF_K
        static let jumpIfAtLeast: UInt16 = 0x35  // BPF_JMP | BPF_JGE | BPF_K
        static let returnConstant: UInt16 = 0x06  // BPF_RET | BPF_K
    }

    /// `SECCOMP_RET_ALLOW`.
    static let allow: UInt32 = 0x7FFF_0000
    /// `SECCOMP_RET_ERRNO | EPERM`.
    static let refuse: UInt32 = 0x0005_0000 | 1

    // Offsets in `struct seccomp_data`: nr, arch, then (after the instruction pointer) args[6];
    // the low 32 bits of args[1] on a little-endian machine.
    static let numberOffset: UInt32 = 0
    static let architectureOffset: UInt32 = 4
    static let secondArgumentOffset: UInt32 = 24

    /// The filter's instructions: check the ABI, refuse each denied call, and for `fcntl` each
    /// denied command; allow the rest.
    var instructions: [Instruction] {
        let architecture = Architecture.native
        enum Target { case next, refuse, allow }
        var body: [(code: UInt16, constant: UInt32, ifTrue: Target, ifFalse: Target)] = []
        body.append((Instruction.loadWord, Self.architectureOffset, .next, .next))
        body.append((Instruction.jumpIfEqual, architecture.audit, .next, .refuse))
        body.append((Instruction.loadWord, Self.numberOffset, .next, .next))
        if let bit = architecture.foreignABIBit { body.append((Instruction.jumpIfAtLeast, bit, .refuse, .next)) }
        for call in deniedCalls { body.append((Instruction.jumpIfEqual, call, .refuse, .next)) }
        body.append((Instruction.jumpIfEqual, architecture.fcntl, .next, .allow))
        body.append((Instruction.loadWord, Self.secondArgumentOffset, .next, .next))
        for command in deniedFcntlCommands { body.append((Instruction.jumpIfEqual, command, .refuse, .next)) }
        let allowIndex = body.count, refuseIndex = body.count + 1
        var program = body.enumerated().map { index, step -> Instruction in
            func offset(_ target: Target) -> UInt8 {
                switch target {
                case .next: 0
                case .allow: UInt8(allowIndex - index - 1)
                case .refuse: UInt8(refuseIndex - index - 1)
                }
            }
            return Instruction(code: step.code, jumpIfTrue: offset(step.ifTrue), jumpIfFalse: offset(step.ifFalse), constant: step.constant)
        }
        program.append(Instruction(code: Instruction.returnConstant, constant: Self.allow))
        program.append(Instruction(code: Instruction.returnConstant, constant: Self.refuse))
        return program
    }

    /// The filter as `bwrap --seccomp` reads it: 8 bytes per instruction, native byte order.
    public var program: [UInt8] {
        var bytes: [UInt8] = []
        for instruction in instructions {
            withUnsafeBytes(of: instruction.code.littleEndian) { bytes += $0 }
            bytes += [instruction.jumpIfTrue, instruction.jumpIfFalse]
            withUnsafeBytes(of: instruction.constant.littleEndian) { bytes += $0 }
        }
        return bytes
    }
}
