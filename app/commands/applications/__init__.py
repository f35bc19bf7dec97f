"""Commands: see docs/applications.md."""
