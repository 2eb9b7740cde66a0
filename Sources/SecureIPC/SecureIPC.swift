/// Secure message passing and IPC security mechanisms from the course text.
public enum SecureIPC {}
