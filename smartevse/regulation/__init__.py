"""Normal/Smart/Solar allocation and power sharing (charging.md 4, 5)."""
