"""Reservations: a fan waits for tickets to a game and hears at once when matching ones appear."""
