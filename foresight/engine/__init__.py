"""Foresight engine: pure numpy, no Django. See ``projection`` for the conventions."""
