"""`python -m gkml`: the same command line as `gkml`."""
from .cli import main

if __name__ == "__main__":  # a spawned worker imports the main module: it must not run the command again
    main()
