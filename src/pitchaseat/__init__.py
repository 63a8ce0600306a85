"""Pitch-A-Seat: the fan-to-fan resale marketplace for CPBL tickets."""

__version__ = "0.1.0"
