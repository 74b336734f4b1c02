"""The report's figures: one `plot_x(data, *, ax=None)` per module, drawing on a caller's axis.

`drawdown.report.registry` names them with their titles and data functions.
"""
