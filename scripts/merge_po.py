#!/usr/bin/env python3
"""Merge translations/<locale>/LC_MESSAGES/parts/*.po into messages.po (run by `make translations`).

Each feature keeps its Chinese strings in its own part, so parallel work never edits one file;
messages.po is generated and is what pybabel compiles and the translation test reads.
A msgid in two parts with different translations is an error."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1] / "translations"


def merge(locale_dir: Path) -> int:
    parts = sorted((locale_dir / "parts").glob("*.po"))
    if not parts:
        return 0
    merged = Catalog(locale=locale_dir.parent.name, project="zhicheng", version="1.0",
                     creation_date=dt.datetime(2026, 11, 22), fuzzy=False)
    origin: dict[str, str] = {}
    for part in parts:
        with part.open("rb") as handle:
            catalog = read_po(handle, locale=merged.locale)
        for message in catalog:
            if not message.id:
                continue
            key = message.id if isinstance(message.id, str) else message.id[0]
            if key in origin and merged[message.id].string != message.string:
                print(f"{part.name}: {key!r} is translated differently in {origin[key]}", file=sys.stderr)
                return 1
            origin[key] = part.name
            merged.add(message.id, message.string)
    with (locale_dir / "messages.po").open("wb") as handle:
        write_po(handle, merged, width=0, omit_header=False)
    return 0


if __name__ == "__main__":
    status = 0
    for lc in ROOT.glob("*/LC_MESSAGES"):
        status |= merge(lc)
    sys.exit(status)
