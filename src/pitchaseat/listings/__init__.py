"""Listings: tickets offered for a game, never above face value."""
