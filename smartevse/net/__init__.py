# The network adapters (architecture.md "Layers"): sockets in, texts out.
