/// The classical synchronization problems from the course text, built on `SyncPrimitives`.
public enum ClassicProblems {}
