# OCPP 1.6J charge point: messages, transactions, offline journal (interfaces.md 3); pure.
