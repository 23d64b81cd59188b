"""Stand-in for CircuitPython's `terminalio`: only FONT."""
import fontio

FONT = fontio.BuiltinFont()
