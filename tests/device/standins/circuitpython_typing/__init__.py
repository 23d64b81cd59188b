"""Stand-in for the annotation-only `circuitpython_typing` (see typing.py here)."""
from typing import __getattr__  # noqa: F401
