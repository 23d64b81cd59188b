"""The one settings table, live settings and their validation, NVM records and persistence."""
