"""The party dues page (党费)."""
