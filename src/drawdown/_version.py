"""The drawdown version: a leaf module, so every stage can read it without the package root."""

__version__ = "0.1.0"
