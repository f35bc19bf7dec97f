"""The base of the once-a-day jobs: the day they run for (today by default) and how many they sent."""
from __future__ import annotations

import datetime as dt

from app.commands.base import BaseCommand
from app.services import periods


class DailyJobCommand(BaseCommand):
    """A scheduled job for one day; `sent` counts the messages it sent."""

    def __init__(self, day: dt.date | None = None):
        self.day = day
        self.sent = 0

    def validate(self) -> None:
        self.day = self.day or periods.today()
