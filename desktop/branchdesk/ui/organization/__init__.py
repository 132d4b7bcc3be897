"""The organization page (组织)."""
