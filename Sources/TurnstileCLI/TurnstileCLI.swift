/// Commands of the `turnstile` tool.
public enum TurnstileCLIInfo {}
