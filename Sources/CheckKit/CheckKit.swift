/// What hidden checks are written with.
public enum CheckKitInfo {}
