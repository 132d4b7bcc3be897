"""BranchDesk (党支部工作台): offline ledgers and upward reports for Party branches."""

__version__ = "0.1.0"
