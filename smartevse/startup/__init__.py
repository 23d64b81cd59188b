"""Start-up: the update manifest check and the safe mode."""
