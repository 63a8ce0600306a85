"""Notifications: in-site, live and by email (docs/notifications.md)."""
