"""Issue item 17: FAB's own words on the admin pages are Chinese. FAB's zh catalog lacks some of them and
marks others fuzzy, which the compiled catalog drops ("It's not a good policy to remove a user…" stayed
English); FAB's confirm and alert dialogs write Cancel/OK without gettext, so the app overrides them."""
from __future__ import annotations

import re
from pathlib import Path

import flask_appbuilder
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
FAB = Path(flask_appbuilder.__file__).parent
KEYWORDS = dict(DEFAULT_KEYWORDS, lazy_gettext=None, lazy_formatter_gettext=None)
# FAB's auth methods and features the app does not use (OAuth, LDAP, OpenID, registration by mail, charts)
UNUSED = re.compile(r"(oauth|ldap|openid|saml|register|chart|/api/|apis/|\bcli\b|\.js$)", re.I)


def _usable(path: Path) -> dict[str, str]:
    """Translations that reach the compiled catalog: neither empty nor fuzzy."""
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="zh")
    return {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}


def test_every_fab_message_on_our_pages_has_chinese():
    ours = _usable(ROOT / "translations/zh/LC_MESSAGES/messages.po")
    fab = _usable(FAB / "translations/zh/LC_MESSAGES/messages.po")
    missing = set()
    methods = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
    for filename, _line, message, _comments, _context in extract_from_dir(FAB, methods, keywords=KEYWORDS):
        msgid = message if isinstance(message, str) else message[0]
        if msgid and not UNUSED.search(filename) and not filename.startswith("tests"):
            if msgid not in ours and msgid not in fab:
                missing.add(f"{filename}: {msgid}")
    assert not missing, "FAB messages without Chinese:\n" + "\n".join(sorted(missing))


def test_fab_dialog_buttons_go_through_gettext():
    for name in ("confirm.html", "alert.html"):
        fab_text = (FAB / "templates/appbuilder/general" / name).read_text()
        assert re.search(r">\s*(OK|Cancel)\s*<", fab_text), f"FAB changed {name}; recheck the override"
        ours = (ROOT / "app/templates/appbuilder/general" / name).read_text()
        assert not re.search(r">\s*(OK|Cancel)\s*<", ours), name
        assert "_(\"OK\")" in ours, name
