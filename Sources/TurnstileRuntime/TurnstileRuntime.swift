/// The synchronization vocabulary that student and reference code use.
public enum TurnstileRuntimeInfo {}
