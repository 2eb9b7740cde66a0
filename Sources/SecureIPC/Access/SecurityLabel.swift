/// A mandatory-access-control label: a hierarchical level plus a set of categories
/// (compartments). Labels form a lattice ordered by ``dominates(_:)``.
public struct SecurityLabel: Hashable, Sendable, CustomStringConvertible {
    /// A hierarchical sensitivity level; higher is more sensitive.
    public struct Level: Hashable, Comparable, Sendable {
        /// Ordering rank.
        public let rank: Int
        /// Display name.
        public let name: String
        /// Creates a level.
        public init(rank: Int, name: String) {
            self.rank = rank
            self.name = name
        }
        /// Orders levels by rank.
        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rank < rhs.rank }

        /// Rank 0.
        public static let unclassified = Level(rank: 0, name: "unclassified")
        /// Rank 1.
        public static let confidential = Level(rank: 1, name: "confidential")
        /// Rank 2.
        public static let secret = Level(rank: 2, name: "secret")
        /// Rank 3.
        public static let topSecret = Level(rank: 3, name: "top-secret")
    }

    /// The level.
    public var level: Level
    /// The categories.
    public var categories: Set<String>

    /// Creates a label.
    public init(_ level: Level, categories: Set<String> = []) {
        self.level = level
        self.categories = categories
    }

    /// `self` dominates `other` when its level is at least as high and its categories include
    /// all of `other`'s.
    public func dominates(_ other: SecurityLabel) -> Bool {
        level >= other.level && categories.isSuperset(of: other.categories)
    }

    /// `level{category,…}`.
    public var description: String {
        categories.isEmpty ? level.name : "\(level.name){\(categories.sorted().joined(separator: ","))}"
    }
}

/// The kinds of IPC object a reference monitor guards.
public enum IPCObjectKind: String, Sendable, Hashable {
    /// A shared-memory region.
    case sharedRegion
    /// A message queue.
    case messageQueue
    /// A named semaphore.
    case semaphore
    /// A secure or plain channel endpoint.
    case channel
}

/// An operation on an IPC object, with the information flow it causes.
public enum IPCOperation: String, Sendable, Hashable, CaseIterable {
    /// Read bytes without changing them.
    case read
    /// Overwrite bytes.
    case write
    /// Enqueue or send a message.
    case send
    /// Dequeue or receive a message (observes and alters).
    case receive
    /// Semaphore P: observes the count by blocking, and decrements it.
    case wait
    /// Semaphore V.
    case post
    /// Map a region read-write.
    case map
    /// Remove the object's name.
    case unlink

    /// Whether the operation lets the subject observe the object's state.
    public var observes: Bool {
        switch self {
        case .read, .receive, .wait, .map: true
        case .write, .send, .post, .unlink: false
        }
    }

    /// Whether the operation alters the object's state (a `wait` both decrements and reveals
    /// the count; `map` grants both views of a region).
    public var alters: Bool {
        switch self {
        case .write, .send, .post, .unlink, .wait, .map, .receive: true
        case .read: false
        }
    }
}

/// A process or thread making requests, with its clearance.
public struct Subject: Hashable, Sendable {
    /// Unique name.
    public let id: String
    /// The subject's current label.
    public var label: SecurityLabel
    /// Creates a subject.
    public init(id: String, label: SecurityLabel) {
        self.id = id
        self.label = label
    }
}

/// A labelled IPC object.
public struct IPCObject: Hashable, Sendable {
    /// Unique name (a shm name, a queue name…).
    public let id: String
    /// What it is.
    public let kind: IPCObjectKind
    /// Its classification.
    public var label: SecurityLabel
    /// Creates an object.
    public init(id: String, kind: IPCObjectKind, label: SecurityLabel) {
        self.id = id
        self.kind = kind
        self.label = label
    }
}
