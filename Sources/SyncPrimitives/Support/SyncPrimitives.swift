/// Mutual-exclusion and signalling primitives from the course text, built on `TurnstileRuntime`.
///
/// Every primitive here synchronizes only through the runtime's vocabulary (`AtomicInt`,
/// `AtomicBool`, `Lock`, `Condition`, `Runtime.spinHint()`), so the same code runs on real
/// threads (the native engine, for speed and hardware stress) and under the controlled engine
/// (one logical thread at a time, every interleaving chosen by a seeded strategy, for
/// deterministic checks). Every operation takes the caller's `file:line` and forwards it to
/// the runtime, so a controlled trace points at the caller's code.
///
/// The families, from the course text's framing:
/// - software mutual exclusion with plain loads and stores: ``PetersonLock`` (two threads),
///   ``FilterLock`` and ``BakeryLock`` (N threads);
/// - hardware-assisted spin locks: ``TestAndSetLock``, ``TestAndTestAndSetLock``,
///   ``TicketLock``;
/// - "integer variables with atomic wait/signal operations": ``CountingSemaphore`` and
///   ``BinarySemaphore``;
/// - "mutexes": ``OwnedMutex``, which knows its owner;
/// - "monitors: constructs that encapsulate shared data and procedures": ``Monitor``;
/// - a reusable ``Barrier``.
public enum SyncPrimitives {}
