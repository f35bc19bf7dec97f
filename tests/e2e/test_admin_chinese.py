"""Issue item 17's walk: as Admin (and as demo_bureau for its pages) open every menu entry, the list,
show, add and edit pages behind it and FAB's delete dialog, and fail on any word of FAB's English
defaults or of the codes the database keeps. Screenshots of every page in tests/e2e/artifacts/."""
from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlparse

import pytest

from app.extensions import db
from app.models.notify import Notification, OutboxMessage
from tests.conftest import PASSWORD
from tests.e2e.conftest import screenshot
from tests.e2e.test_login_roles import menu_links, sign_in

pytestmark = pytest.mark.e2e

# FAB's English defaults (menus, buttons, dialogs, column labels) and the codes the admin pages used
# to print; a page may show none of them as a word of its own
FAB_ENGLISH = [
    "List Users", "List Roles", "List Groups", "Base Permissions", "Views/Menus", "Permission on Views/Menus",
    "Security", "Home", "Add", "Edit", "Delete", "Search", "Actions", "Cancel", "OK", "Are you sure", "Show",
    "Back", "Save", "None", "__None", "True", "False", "Record Count", "Roles", "Permissions", "Users", "Groups",
    "User confirmation needed", "Add Filter", "Name", "Label", "Description", "Role", "Email", "Is Active?",
    "First Name", "Last Name", "User Name", "Password", "Confirm Password", "Last login", "Login count",
    "Failed login count", "Created on", "Changed on", "Created by", "Changed by", "User info", "Personal Info",
    "Audit Info", "Copy Role", "Edit User", "Reset Password", "Reset my password", "Logout", "Profile",
    "No records found", "It's not a good policy", "Show record", "Edit record", "Delete record",
    "Add a new record", "Select", "Individual", "Unit", "Bureau", "Committee", "Admin", "Public",
    "can read", "can write", "can list", "menu access", "on Notification",
    "province", "city", "district", "email", "sms", "outbox", "login", "pending_unit", "application.pass",
]
_WORDS = re.compile(r"(?<![\w/@.-])(" + "|".join(re.escape(w) for w in sorted(FAB_ENGLISH, key=len, reverse=True)) + r")(?![\w/@-])")

# every text a user can see or hear: text nodes (hidden dialogs and screen-reader text included),
# tooltips, placeholders, ARIA labels and button values; never scripts or styles
_VISIBLE_TEXT = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {acceptNode(node) {
    const tag = node.parentElement && node.parentElement.tagName;
    return ['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE'].includes(tag) ? NodeFilter.FILTER_REJECT
                                                                     : NodeFilter.FILTER_ACCEPT;
  }});
  while (walker.nextNode()) { const t = walker.currentNode.nodeValue.trim(); if (t) out.push(t); }
  for (const el of document.querySelectorAll('[title],[placeholder],[aria-label],[alt],[data-original-title]')) {
    for (const a of ['title', 'placeholder', 'aria-label', 'alt', 'data-original-title']) {
      const v = el.getAttribute(a); if (v) out.push(v);
    }
  }
  for (const el of document.querySelectorAll('input[type=submit],input[type=button]')) out.push(el.value);
  out.push(document.title);
  return out;
}"""


def english_words(page) -> list[str]:
    found = []
    for text in page.evaluate(_VISIBLE_TEXT):
        found += [m.group(1) for m in _WORDS.finditer(text)]
    return sorted(set(found))


class Walk:
    def __init__(self, page, who: str):
        self.page, self.who, self.seen, self.problems = page, who, set(), []

    def check(self, name: str) -> None:
        words = english_words(self.page)
        if words:
            self.problems.append(f"{self.who} {urlparse(self.page.url).path} ({name}): {words}")
        screenshot(self.page, f"admin-zh-{self.who}-{name}")

    def visit(self, url: str, name: str) -> bool:
        if url in self.seen:
            return False
        self.seen.add(url)
        response = self.page.goto(url)
        assert response is not None and response.status < 400, f"{self.who} {url}: {response and response.status}"
        self.check(name)
        return True

    def first_href(self, selector: str) -> str | None:
        links = self.page.locator(selector)
        return links.first.get_attribute("href") if links.count() else None

    def model_pages(self, name: str) -> None:
        """From a list page: its add, show and edit pages, and FAB's delete dialog (dismissed)."""
        list_url = self.page.url
        targets = {"add": self.first_href("a[href$='/add'], a[href*='/add?']"),
                   "show": self.first_href("a[href*='/show/']"), "edit": self.first_href("a[href*='/edit/']")}
        delete = self.page.locator("a.confirm[id^='btn-delete-']")
        if delete.count():
            delete.first.click()
            dialog = self.page.locator("#modal-confirm")
            dialog.wait_for(state="visible")
            self.check(f"{name}-delete-dialog")
            dialog.locator("[data-dismiss=modal]").first.click()
            dialog.wait_for(state="hidden")
            assert self.page.url.split("#")[0] == list_url  # dismissed: nothing deleted
        for kind, href in targets.items():
            if href:
                self.visit(href, f"{name}-{kind}")

    def menu(self, links: dict[str, str], allowed=None) -> None:
        for name, url in sorted(links.items()):
            if allowed is not None and name not in allowed:
                continue
            if self.visit(url, name) and "/list/" in urlparse(self.page.url).path:
                self.model_pages(name)


@pytest.fixture
def admin_data(app, demo):
    with app.app_context():
        admin = app.appbuilder.sm.find_user(username="admin")
        db.session.add(Notification(user_id=admin.id, title="测试消息", body="内容",
                                    created_at=dt.datetime(2026, 3, 1, 1, 2, 3, 456789)))
        db.session.add(OutboxMessage(channel="sms", recipient="13812345678", subject="", body="验证码 123456",
                                     created_at=dt.datetime(2026, 3, 1), delivered_by="outbox"))
        db.session.add(OutboxMessage(channel="email", recipient="a@example.cn", subject="通知", body="内容",
                                     created_at=dt.datetime(2026, 3, 1), delivered_by="outbox"))
        db.session.commit()


def test_admin_area_is_chinese(app, admin_data, page):
    links = menu_links(app)
    page.goto("/login/")
    sign_in(page, "admin", PASSWORD)
    walk = Walk(page, "admin")
    walk.visit("/", "home")
    walk.menu(links)
    # pages of the user admin that no menu item opens directly
    for url, name in (("/users/userinfo/", "userinfo"), ("/userinfoeditview/form", "userinfo-edit"),
                      ("/resetmypassword/form", "reset-my-password"), ("/resetpassword/form?pk=2", "reset-password")):
        walk.visit(url, name)
    # FAB's action dialog: 停用 chosen for a selected user from the 操作 menu, then dismissed
    page.goto("/users/list/")
    page.locator("input.action_check").nth(1).check()
    item = page.locator("a.deactivate_menu_item")
    item.locator("xpath=ancestor::div[contains(@class,'btn-group')][1]/button").click()
    item.click()
    dialog = page.locator("#modal-confirm")
    dialog.wait_for(state="visible")
    walk.check("users-deactivate-dialog")
    dialog.locator("[data-dismiss=modal]").first.click()
    dialog.wait_for(state="hidden")
    with app.app_context():
        assert all(u.active for u in app.appbuilder.sm.get_all_users())  # dismissed: nobody deactivated
    assert len(walk.seen) > 30, f"the walk saw too little: {sorted(walk.seen)}"
    assert not walk.problems, "English on the admin pages:\n" + "\n".join(walk.problems)


def test_bureau_pages_are_chinese(app, admin_data, page):
    from app.security import roles

    links = menu_links(app)
    allowed = {n for perm, n in roles.ROLE_PERMISSIONS[roles.BUREAU] if perm == "menu_access"}
    page.goto("/login/")
    sign_in(page, "demo_bureau", PASSWORD)
    walk = Walk(page, "demo_bureau")
    walk.visit("/", "home")
    walk.menu(links, allowed)
    assert len(walk.seen) > 5, f"the walk saw too little: {sorted(walk.seen)}"
    assert not walk.problems, "English on the bureau's pages:\n" + "\n".join(walk.problems)


def test_the_word_list_catches_fab_defaults(page):
    """The check itself: FAB's own markup with its English is caught, hidden dialog text included."""
    page.set_content('<body><span class="sr-only">Show</span><div style="display:none">'
                     '<button>Cancel</button></div><a title="Delete record">x</a><p>None</p>'
                     '<p>admin@demo.zhicheng.local</p><p>查看 消息</p><p>demo_unit</p></body>')
    assert english_words(page) == ["Cancel", "Delete record", "None", "Show"]
