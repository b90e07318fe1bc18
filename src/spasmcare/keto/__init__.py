"""Ketogenic diet therapy: prescriptions, meals, infant feeds (pure functions)."""
