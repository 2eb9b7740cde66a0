import ProcessIPC
import TurnstileCLI

// `turnstile ipc` starts copies of this executable as its peer processes.
PeerMain.runIfRequested()
Turnstile.main()
