"""The market in numbers: rent history, figures per place kept as rollups, charts and reports."""
