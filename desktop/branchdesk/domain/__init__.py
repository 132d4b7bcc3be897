"""Domain rules and value types: pure Python, no Qt, no SQL."""
