/// Mutual-exclusion and signalling primitives from the course text, built on `TurnstileRuntime`.
public enum SyncPrimitives {}
