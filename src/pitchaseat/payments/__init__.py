"""Paying for a held order through a payment provider."""
