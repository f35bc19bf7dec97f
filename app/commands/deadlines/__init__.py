"""Deadlines, reminders, overdue work and 催办 (scheduled jobs and the bureau's actions)."""
