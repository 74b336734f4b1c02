"""Defaults every command shares, so that `plan` then `simulate` give what `run` gives."""

# The eve of MINUSMA's withdrawal; any fixed number would do, but one number for all.
DEFAULT_SEED = 20230630
