"""IDOR: each of two applicants, units, bureaus (of two regions) and committees tries the other's rows on
show, edit, the forms (HTML and PDF), the attachments, the API rows and forged POSTs (FAB's action_post
and delete included, with foreign ids). Every probe must be refused and change nothing; each group
starts with the owner reaching the same rows, so a refusal is not just a broken URL."""
from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import select

from app.extensions import db
from tests.security.conftest import NAMES, PDF, SCHOOLS, SUMMARIES

SIDES = ("a", "b")
FORMS = ("review_form", "review_brief")


def _snapshot(app, tables=None) -> str:
    """Every row of the tables a forged request could change (all but the audit and login tables)."""
    from flask_appbuilder import Model

    skip = {"audit_log", "ab_user", "ab_permission", "ab_view_menu", "ab_permission_view", "ab_role",
            "ab_permission_view_role", "ab_user_role", "alembic_version", "outbox_message", "login_attempt"}
    with app.app_context():
        dump = {}
        for table in Model.metadata.sorted_tables:
            if table.name in skip or (tables and table.name not in tables):
                continue
            # a session's last_seen_at moves on by itself once a minute of a long test has passed
            columns = [c for c in table.columns if (table.name, c.name) != ("user_session", "last_seen_at")]
            rows = db.session.execute(select(*columns).order_by(*table.primary_key.columns)).all()
            dump[table.name] = [[str(v) for v in row] for row in rows]
        db.session.rollback()
    return json.dumps(dump, sort_keys=True, ensure_ascii=False)


def _refused_get(response) -> bool:
    """Nothing of the row shown: 403/404, or a redirect (to the login page or the role's list)."""
    return response.status_code in (403, 404) or response.status_code in (301, 302, 303)


def _check_gets(client, urls, who):
    shown = []
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, f"{who}: GET {url} gave {response.status_code}"
        if not _refused_get(response):
            shown.append(f"GET {url} → {response.status_code}")
    return shown


def _check_posts(app, client, posts, victim):
    """Each forged POST changes no row, gives no 5xx and shows nothing of the victim's rows (a 200 is
    the attacker's own page with an error)."""
    wrong = []
    before = _snapshot(app)
    for url, data in posts:
        response = client.post(url, data=data, content_type="multipart/form-data" if any(
            isinstance(v, tuple) for v in data.values()) else None)
        after = _snapshot(app)
        if response.status_code >= 500:
            wrong.append(f"POST {url} → {response.status_code}")
        elif before != after:
            wrong.append(f"POST {url} → {response.status_code} and CHANGED rows")
            before = after
        else:
            body = response.get_data(as_text=True)
            leaked = [m for m in (NAMES[victim], SCHOOLS[victim], SUMMARIES[victim]) if m in body]
            if leaked:
                wrong.append(f"POST {url} → {response.status_code} shows {leaked}")
    return wrong


def _owner_reaches(client, urls):
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, f"the owner cannot open {url} ({response.status_code}): world is broken"


# ---------------------------------------------------------------- applicants
@pytest.mark.parametrize("victim", SIDES)
def test_applicant_cannot_reach_the_other_applicants_rows(app, world, clients, victim):
    ids, mine = world.ids[victim], world.ids[world.other(victim)]
    draft, review = ids["draft"], ids["review"]
    parts = ids["draft_parts"]
    gets = [f"/applications/{draft}", f"/applications/{draft}/edit", f"/applications/{draft}/timeline",
            f"/applications/{draft}/sections/education", f"/applications/{draft}/sections/education?entry="
            f"{parts['entry']}", f"/applications/{draft}/sections/publicity_proof/template",
            f"/applications/{review}", f"/applications/{review}/timeline",
            *[f"/applications/{app_id}/forms/{kind}" for app_id in (draft, review) for kind in FORMS],
            f"/applications/{review}/forms/review_form.pdf", f"/attachments/{parts['attachment']}",
            f"/attachments/{ids['review_parts']['attachment']}", f"/api/v1/my_applications/{review}",
            f"/api/v1/my_applications/{draft}", f"/account/messages/show/{ids['notification']}",
            f"/account/messages/edit/{ids['notification']}"]
    _owner_reaches(clients(world.users[victim]["person"]), [
        f"/applications/{draft}", f"/applications/{draft}/sections/education",
        f"/applications/{review}/forms/review_form",
        f"/attachments/{parts['attachment']}", f"/api/v1/my_applications/{review}",
        f"/account/messages/show/{ids['notification']}"])

    attacker = clients(world.users[world.other(victim)]["person"])
    shown = _check_gets(attacker, gets, "applicant")
    for url in ("/api/v1/my_applications/", "/api/v1/my_applications/?q=(page_size:100)",
                "/account/messages/list/"):
        response = attacker.get(url)
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        if url.startswith("/api/"):
            got = {row["id"] for row in response.get_json()["result"]}
            assert got == {mine["draft"], mine["review"], mine["reported"]}, f"{url} lists {got}"
        else:
            assert f"消息{victim}" not in body, f"{url} lists the other applicant's message"
    own = mine["draft"]
    posts = [
        (f"/applications/{draft}/edit", {"version": "1", "recommendation_rank": "2/3"}),
        (f"/applications/{draft}/submit", {}),
        (f"/applications/{draft}/cancel", {}),
        (f"/applications/{draft}/sections/work_summary/text", {"text": "篡改", "version": "1"}),
        (f"/applications/{draft}/sections/education/entries", {"school": "篡改", "version": "1"}),
        (f"/applications/{draft}/sections/education/entries",
         {"school": "篡改", "version": "1", "entry_id": str(parts["entry"])}),
        (f"/applications/{draft}/sections/education/entries/{parts['entry']}/delete", {"version": "1"}),
        (f"/applications/{draft}/sections/other_attachments/attachments",
         {"file": (io.BytesIO(PDF), "x.pdf"), "version": "1"}),
        (f"/applications/{draft}/attachments/{parts['attachment']}/delete", {"version": "1"}),
        # the attacker's own application with the victim's entry and attachment ids
        (f"/applications/{own}/sections/education/entries/{parts['entry']}/delete", {"version": "1"}),
        (f"/applications/{own}/sections/education/entries",
         {"school": "篡改", "version": "1", "entry_id": str(parts["entry"])}),
        (f"/applications/{own}/attachments/{parts['attachment']}/delete", {"version": "1"}),
        (f"/applications/{own}/sections/other_attachments/attachments",
         {"file": (io.BytesIO(PDF), "x.pdf"), "version": "1", "entry_id": str(parts["entry"])}),
        (f"/applications/{review}/cancel", {}),
        (f"/account/messages/edit/{ids['notification']}", {"title": "篡改"}),
        (f"/account/messages/delete/{ids['notification']}", {}),
    ]
    wrong = _check_posts(app, attacker, posts, victim)
    assert not shown and not wrong, "\n".join(["the other applicant's rows:"] + shown + wrong)


# ---------------------------------------------------------------- units
@pytest.mark.parametrize("victim", SIDES)
def test_unit_cannot_reach_another_units_rows(app, world, clients, victim):
    ids = world.ids[victim]
    review, draft = ids["review"], ids["draft"]
    gets = [f"/review/{review}", f"/review/{draft}", *[f"/applications/{review}/forms/{kind}" for kind in FORMS],
            f"/applications/{draft}/forms/review_form", f"/applications/{review}/forms/review_form.pdf",
            f"/attachments/{ids['review_parts']['attachment']}", f"/attachments/{ids['draft_parts']['attachment']}",
            f"/applications/{review}", f"/api/v1/my_applications/{review}"]
    _owner_reaches(clients(world.users[victim]["unit"]), [
        f"/review/{review}", f"/applications/{review}/forms/review_form",
        f"/attachments/{ids['review_parts']['attachment']}"])
    attacker = clients(world.users[world.other(victim)]["unit"])
    shown = _check_gets(attacker, gets, "unit")
    listing = attacker.get("/review/").get_data(as_text=True) + attacker.get(
        "/report/?tab=not_entrusted").get_data(as_text=True)
    assert f"/review/{review}\"" not in listing, "the other unit's application is in the queue"
    posts = [(f"/review/{review}/decide", {"action": action, "opinion": "x", "until": "2030-01-01",
                                           "blacklist_reason": "x", "seen_status": "pending_unit"})
             for action in ("pass", "final_pass", "return", "blacklist")]
    posts += [(f"/report/{review}/fields", {"entrusted": "1", "recommendation_rank": "1/1"}),
              ("/report/report", {"ids": str(review)})]
    wrong = _check_posts(app, attacker, posts, victim)
    assert not shown and not wrong, "\n".join(["another unit's rows:"] + shown + wrong)


def test_a_unit_path_is_decided_by_its_target_only(app, world, clients):
    """Path a: demo_unit → demo_superior; path b: sec_unit_b → demo_unit. Neither the requesting unit
    nor a stranger decides it (nor sees it in its review list)."""
    attempts = [("a", world.users["a"]["unit"]), ("a", world.users["b"]["unit"]),
                ("b", world.users["b"]["unit"]), ("b", world.users["a"]["superior"])]
    _owner_reaches(clients(world.users["a"]["superior"]), ["/units/path-review/"])
    assert f"/units/path-review/{world.ids['a']['unit_path']}/approve" in clients(
        world.users["a"]["superior"]).get("/units/path-review/").get_data(as_text=True)
    wrong = []
    for side, username in attempts:
        path = world.ids[side]["unit_path"]
        client = clients(username)
        if f"/units/path-review/{path}/approve" in client.get("/units/path-review/?status=").get_data(as_text=True):
            wrong.append(f"{username} sees path {side} in its review list")
        wrong += [f"{username}: {line}" for line in _check_posts(app, client, [
            (f"/units/path-review/{path}/approve", {}), (f"/units/path-review/{path}/reject", {"reason": "x"})],
            side)]
    assert not wrong, "\n".join(wrong)


# ---------------------------------------------------------------- bureaus of two regions
@pytest.mark.parametrize("victim", SIDES)
def test_bureau_cannot_reach_another_regions_rows(app, world, clients, victim):
    ids = world.ids[victim]
    gets = [f"/units/permission-review/{ids['permission']}", f"/catalog/committees/show/{ids['committee']}",
            f"/catalog/committees/edit/{ids['committee']}", f"/catalog/periods/show/{ids['period']}",
            f"/catalog/periods/edit/{ids['period']}",
            *[f"/applications/{ids['review']}/forms/{kind}" for kind in FORMS],
            f"/applications/{ids['review']}/forms/review_form.pdf",
            f"/attachments/{ids['review_parts']['attachment']}"]
    _owner_reaches(clients(world.users[victim]["bureau"]), [
        f"/units/permission-review/{ids['permission']}", f"/catalog/committees/show/{ids['committee']}",
        f"/catalog/periods/show/{ids['period']}", f"/applications/{ids['review']}/forms/review_form",
        f"/attachments/{ids['review_parts']['attachment']}"])
    attacker = clients(world.users[world.other(victim)]["bureau"])
    shown = _check_gets(attacker, gets, "bureau")
    for url, mark in (("/units/permission-review/?status=", f"/units/permission-review/{ids['permission']}"),
                      ("/units/final-authority-review/?status=", f"/units/final-authority-review/{ids['authority']}/"),
                      ("/catalog/committees/list/", f"/catalog/committees/show/{ids['committee']}"),
                      ("/catalog/periods/list/", f"/catalog/periods/show/{ids['period']}")):
        if mark in attacker.get(url).get_data(as_text=True):
            shown.append(f"{url} lists a row of the other region")
    posts = [(f"/units/permission-review/{ids['permission']}/approve", {}),
             (f"/units/permission-review/{ids['permission']}/reject", {"reason": "x"}),
             (f"/units/final-authority-review/{ids['authority']}/approve", {}),
             (f"/units/final-authority-review/{ids['authority']}/reject", {"reason": "x"}),
             (f"/catalog/committees/edit/{ids['committee']}", {"name": "篡改的评委会"}),
             (f"/catalog/committees/delete/{ids['committee']}", {}),
             (f"/catalog/periods/edit/{ids['period']}", {"year": "2031"}),
             (f"/catalog/periods/delete/{ids['period']}", {})]
    wrong = _check_posts(app, attacker, posts, victim)
    assert not shown and not wrong, "\n".join(["the other region's rows:"] + shown + wrong)


# ---------------------------------------------------------------- committees
@pytest.mark.parametrize("victim", SIDES)
def test_committee_cannot_reach_another_committees_rows(app, world, clients, victim):
    ids = world.ids[victim]
    review = ids["reported"]  # a committee sees an application from the moment it is reported to it
    gets = [*[f"/applications/{review}/forms/{kind}" for kind in FORMS],
            f"/applications/{review}/forms/review_form.pdf", f"/attachments/{ids['reported_parts']['attachment']}",
            f"/review/{review}"]
    _owner_reaches(clients(world.users[victim]["committee"]), [
        f"/applications/{review}/forms/review_form", f"/attachments/{ids['reported_parts']['attachment']}"])
    attacker = clients(world.users[world.other(victim)]["committee"])
    shown = _check_gets(attacker, gets, "committee")
    if f"/units/path-review/{ids['committee_path']}/approve" in attacker.get(
            "/units/path-review/?status=").get_data(as_text=True):
        shown.append("the other committee's path is listed")
    posts = [(f"/units/path-review/{ids['committee_path']}/approve", {}),
             (f"/units/path-review/{ids['committee_path']}/reject", {"reason": "x"})]
    wrong = _check_posts(app, attacker, posts, victim)
    assert not shown and not wrong, "\n".join(["the other committee's rows:"] + shown + wrong)


# ---------------------------------------------------------------- FAB's generic routes with foreign ids
def _model_views(app):
    from flask_appbuilder import ModelView

    return [view for view in app.appbuilder.baseviews if isinstance(view, ModelView)]


@pytest.mark.parametrize("role", ["person", "unit", "bureau", "committee"])
def test_fab_action_post_and_delete_with_foreign_ids_change_nothing(app, world, clients, role):
    """FAB's action_post loads rows by id without the view's base filters: as side B's account, every
    action a view declares over side A's rows, and FAB's delete of each of them, must be refused without
    a 500 and without a change."""
    client = clients(world.users["b"][role])
    foreign = world.ids["a"]
    wrong = []
    for view in _model_views(app):
        base = view.route_base
        model = view.datamodel.obj
        with app.app_context():
            key = model.__mapper__.primary_key[0]
            pks = [str(pk) for pk in db.session.execute(select(key).order_by(key).limit(5)).scalars()]
        if view.datamodel.obj.__tablename__ == "notification":
            pks = [str(foreign["notification"])]
        names = set(view.actions)
        table = {model.__tablename__}
        for name in sorted(names):
            before = _snapshot(app, table)
            response = client.post(f"{base}/action_post", data={"action": name, "rowid": pks})
            if response.status_code >= 500 or before != _snapshot(app, table):
                wrong.append(f"POST {base}/action_post action={name} rowid={pks} → {response.status_code}"
                             + (" and CHANGED rows" if before != _snapshot(app, table) else ""))
        for pk in pks[:1]:
            before = _snapshot(app, table)
            response = client.post(f"{base}/delete/{pk}")
            if response.status_code >= 500 or before != _snapshot(app, table):
                wrong.append(f"POST {base}/delete/{pk} → {response.status_code}")
    assert not wrong, f"{world.users['b'][role]}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("role", [None, "person"])
def test_fab_action_post_with_an_unknown_action_is_refused_not_a_500(app, world, clients, role):
    """FAB's action_post has no permission check of its own and looks the action up by the posted name:
    an unknown name must be a 400/404 (or the redirect of a refusal), not an AttributeError."""
    client = clients(world.users["b"][role]) if role else app.test_client()
    wrong = []
    for view in _model_views(app):
        response = client.post(f"{view.route_base}/action_post", data={"action": "no_such_action", "rowid": ["1"]})
        if response.status_code not in (302, 400, 403, 404):
            wrong.append(f"POST {view.route_base}/action_post action=no_such_action → {response.status_code}")
    assert not wrong, "\n".join(wrong)
