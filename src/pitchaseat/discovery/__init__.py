"""Discovery: the trending board and personalised recommendations, served from the database
through the pure scorer in ``pitchaseat.recs``."""
