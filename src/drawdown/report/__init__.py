"""The report: figures, HTML assembly and offline assets."""
