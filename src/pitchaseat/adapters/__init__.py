"""Adapters to the outside world behind small interfaces (cache, rate limits, ...)."""
