"""`python -m drawdown` runs the command line."""

from drawdown.cli import main

main()
