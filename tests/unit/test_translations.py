"""X1: every message of the app has a Chinese translation (ours or, for FAB's own words, FAB's)."""
from __future__ import annotations

from pathlib import Path

import flask_appbuilder
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
KEYWORDS = dict(DEFAULT_KEYWORDS, _l=None, lazy_gettext=None)


def _catalog(path: Path) -> dict[str, str]:
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="zh")
    return {m.id if isinstance(m.id, str) else m.id[0]: (m.string if isinstance(m.string, str) else m.string[0])
            for m in catalog if m.id}


def test_every_message_has_a_chinese_translation():
    ours = _catalog(ROOT / "translations/zh/LC_MESSAGES/messages.po")
    fab = _catalog(Path(flask_appbuilder.__file__).parent / "translations/zh/LC_MESSAGES/messages.po")
    missing = set()
    for filename, _lineno, message, _comments, _context in extract_from_dir(ROOT / "app", METHODS, keywords=KEYWORDS):
        msgid = message if isinstance(message, str) else message[0]
        if msgid and not (ours.get(msgid) or fab.get(msgid)):
            missing.add(f"{filename}: {msgid}")
    assert not missing, "untranslated messages:\n" + "\n".join(sorted(missing))
