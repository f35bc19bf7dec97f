"""Placeholder: registered by app/views/__init__.py; see docs/applications.md for the owner."""
from __future__ import annotations


def register(appbuilder) -> None:
    """Add this module's views and menus."""
