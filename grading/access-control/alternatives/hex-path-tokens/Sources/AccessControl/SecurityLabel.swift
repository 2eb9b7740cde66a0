/// A mandatory-access-control label: a hierarchical level and a set of categories
/// (compartments). Labels form a lattice ordered by ``dominates(_:)``.
public struct SecurityLabel: Hashable, Sendable, CustomStringConvertible {
    /// The sensitivity level; higher is more sensitive (0 unclassified … 3 top secret).
    public var level: Int
    /// The categories (need-to-know compartments).
    public var categories: Set<String>

    /// Creates a label.
    public init(level: Int, categories: Set<String> = []) {
        self.level = level
        self.categories = categories
    }

    /// Whether `self` dominates `other`: its level is at least `other`'s and its categories
    /// include all of `other`'s.
    public func dominates(_ other: SecurityLabel) -> Bool {
        if level < other.level { return false }
        for category in other.categories where !categories.contains(category) { return false }
        return true
    }

    /// `level{category,…}`.
    public var description: String {
        categories.isEmpty ? "\(level)" : "\(level){\(categories.sorted().joined(separator: ","))}"
    }
}

/// An operation on an IPC object, with the information flow it causes. Given: this table is
/// part of the specification.
public enum Operation: String, Sendable, Hashable, CaseIterable {
    /// Read bytes without changing them.
    case read
    /// Overwrite bytes.
    case write
    /// Enqueue or send a message.
    case send
    /// Dequeue or receive a message.
    case receive
    /// Semaphore P: learns the count by blocking, and decrements it.
    case wait
    /// Semaphore V.
    case post
    /// Map a region read-write.
    case map
    /// Remove the object's name.
    case unlink

    /// Whether the operation lets the subject observe the object.
    public var observes: Bool {
        switch self {
        case .read, .receive, .wait, .map: true
        case .write, .send, .post, .unlink: false
        }
    }

    /// Whether the operation alters the object.
    public var alters: Bool {
        switch self {
        case .read: false
        case .write, .send, .receive, .wait, .post, .map, .unlink: true
        }
    }
}
