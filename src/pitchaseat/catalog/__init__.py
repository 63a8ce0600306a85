"""Teams, stadiums with their seat areas, and the season's games."""
