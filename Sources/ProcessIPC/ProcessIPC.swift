/// Shared memory and message passing between real processes.
public enum ProcessIPC {}
