"""REST request handling (pure): routes and handlers (interfaces.md 1)."""
