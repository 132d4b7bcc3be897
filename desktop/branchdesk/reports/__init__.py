"""Excel reports for upward reporting (design.md §5): one module per report, `sheet` for the shared look.

Each report lays out plain rows prepared by the services as sheets (`sheet.Sheet`), which
`sheet.write` writes as .xlsx; they run no queries.
"""
