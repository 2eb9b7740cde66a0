// The peer process for ProcessIPC's two-process tests, benchmarks and demonstrations.
import ProcessIPC

#if canImport(Glibc)
import Glibc
#endif

exit(PeerMain.run(Array(CommandLine.arguments.dropFirst())))
