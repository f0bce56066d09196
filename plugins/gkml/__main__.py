"""`python -m gkml`: the same command line as `gkml`."""
from .cli import main

main()
