"""Modbus RTU on the RS485 bus (modbus.md); detail in comments (device heap)."""

# Modbus RTU on the RS485 bus (modbus.md): pure framing and meter decoding, the
# transaction machine on the UART, and the master's poll of the meters.
