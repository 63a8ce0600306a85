"""Market insights: traded tickets and money, asking and paid prices, team rankings.

``invalidate_market_stats(cache)`` is the one call the payment and refund code makes after a
commit that changes what counts as traded.
"""

from pitchaseat.insights.cache import invalidate_market_stats

__all__ = ["invalidate_market_stats"]
