"""Users, passwords, tokens and web sessions."""
