"""`python -m tthc …` is the same as the `tthc` command."""

from tthc.cli import main

main()
