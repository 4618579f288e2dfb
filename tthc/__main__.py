"""`python -m tthc …` is the same as the `tthc` command."""

from tthc.cli.commands import main

main()
