"""`python -m gkml.cli`: the same command line as `gkml`."""
from . import main

main()
