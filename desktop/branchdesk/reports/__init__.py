"""Excel reports for upward reporting (design.md §5): one module per report, `sheet` for the shared look.

Reports take plain rows prepared by the services and write .xlsx files; they run no queries.
"""
