"""The member page (党员)."""
