import TurnstileCLI

Turnstile.main()
