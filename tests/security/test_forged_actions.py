"""Forged list actions on the units' review queues (职称申报权限审核, 单位路径审核, 终审权限审核). FAB's
`action_post` loads the posted ids without the list's base filters: a reviewer posting 审核通过 or 审核不通过
with another region's or another target's row must be refused with nothing changed (not even its own rows
of the same batch), while the same actions on its own rows work."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.clock import utcnow
from app.extensions import db
from app.models.audit import AuditLog
from app.models.catalog import Region, TitleLevel, TitleSeries
from app.models.units import FinalAuthorityApplication, ReportingPath, Unit, UnitPermissionApplication
from tests.conftest import login
from tests.factories import make_backend, make_unit_account

# kind → (queue URL, model, owner, attacker, the status after 审核通过)
KINDS = {
    "permission": ("/units/permission-review", UnitPermissionApplication, "demo_bureau", "bureau_jn", "approved"),
    "authority": ("/units/final-authority-review", FinalAuthorityApplication, "demo_bureau", "bureau_jn",
                  "approved"),
    "path": ("/units/path-review", ReportingPath, "demo_superior", "stranger", "effective"),
}


def _client(app, username):
    client = app.test_client()
    assert login(client, username).status_code == 302, username
    return client


def _unit(name: str) -> Unit:
    return db.session.execute(select(Unit).filter_by(name=name)).scalar_one()


@pytest.fixture
def rows(app, demo):
    """Per kind: the owner's row ("theirs", waiting in the owner's queue) and the attacker's own ("own")."""
    with app.app_context():
        make_backend("bureau_jn", "Bureau", region_code="370100")
        make_unit_account("unit_jn", "济南市测试单位", "370102")
        make_unit_account("stranger", "威海市其他单位", "371002")
        jinan, weihai, stranger = _unit("济南市测试单位"), _unit("威海市环翠区文化馆"), _unit("威海市其他单位")
        jinan.has_permission = stranger.has_permission = True
        level = db.session.execute(select(TitleLevel).filter_by(name="初级")).scalar_one()
        series = db.session.execute(select(TitleSeries).filter_by(name="群众文化")).scalar_one()
        now = utcnow()

        def permission(unit, code):
            return UnitPermissionApplication(unit_id=unit.id, credit_code=code, name=unit.name,
                                             region_id=unit.region_id, unit_type="事业单位",
                                             competent_department="文旅局", status="submitted",
                                             submitted_at=now, updated_at=now)

        def authority(unit):
            return FinalAuthorityApplication(unit_id=unit.id, business="recognition", level_id=level.id,
                                             organisation="文化馆", region_id=unit.region_id, status="pending",
                                             created_at=now)

        def path(unit, target):
            return ReportingPath(unit_id=unit.id, business_set="review", series_id=series.id, level_id=level.id,
                                 target_unit_id=target.id, status="pending", created_at=now)

        made = {"permission": (permission(weihai, "91371002MA3C0000X1"), permission(jinan, "91370102MA3C0000X2")),
                "authority": (authority(weihai), authority(jinan)),
                "path": (path(weihai, _unit("威海市环翠区文化和旅游局")), path(jinan, stranger))}
        for pair in made.values():
            db.session.add_all(pair)
        db.session.commit()
        assert db.session.get(Region, weihai.region_id).code == "371002"
        return {kind: {"theirs": pair[0].id, "own": pair[1].id} for kind, pair in made.items()}


def _state(app, model, *ids):
    with app.app_context():
        found = db.session.execute(select(model.id, model.status, model.version, model.reason)
                                   .where(model.id.in_(ids)).order_by(model.id)).all()
        audits = db.session.execute(select(func.count(AuditLog.id))).scalar_one()
        return [tuple(r) for r in found], audits


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_forged_approve_action_on_a_foreign_row_is_refused(app, rows, kind):
    base, model, _owner, attacker, _approved = KINDS[kind]
    theirs, own = rows[kind]["theirs"], rows[kind]["own"]
    client = _client(app, attacker)
    listing = client.get(f"{base}/").get_data(as_text=True)
    assert f'data-id="{own}"' in listing and f'data-id="{theirs}"' not in listing  # the base filter holds
    before = _state(app, model, theirs, own)
    for ids in ([theirs], [own, theirs], [theirs, own]):
        response = client.post(f"{base}/action_post", data={"action": "approve", "rowid": [str(i) for i in ids]})
        assert response.status_code == 404, (ids, response.status_code)
        assert _state(app, model, theirs, own) == before, ids
    for junk in (["abc"], ["1 OR 1=1"], ["-1"], [str(10**12)]):  # not a row id: a 404, not a database error
        assert client.post(f"{base}/action_post", data={"action": "approve", "rowid": junk}).status_code == 404
        assert client.get(f"{base}/reject", query_string={"rowid": junk}).status_code == 404
    assert client.get(f"{base}/reject", query_string={"rowid": [str(own)] * 101}).status_code == 400
    # 审核不通过 of a foreign row: neither the confirm page nor its POST reaches it
    response = client.post(f"{base}/action_post", data={"action": "reject", "rowid": [str(theirs)]})
    assert response.status_code == 302
    assert client.get(response.headers["Location"]).status_code == 404
    assert client.post(f"{base}/reject", data={"rowid": [str(theirs)], "reason": "伪造"}).status_code == 404
    assert client.post(f"{base}/reject", data={"rowid": [str(own), str(theirs)], "reason": "伪造"}).status_code == 404
    assert client.post(f"{base}/{theirs}/approve").status_code == 404
    assert _state(app, model, theirs, own) == before


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_owner_approves_its_own_rows_with_the_list_action(app, rows, kind):
    base, model, owner, _attacker, approved = KINDS[kind]
    theirs, own = rows[kind]["theirs"], rows[kind]["own"]
    (row,), audits = _state(app, model, theirs)
    response = _client(app, owner).post(f"{base}/action_post", data={"action": "approve", "rowid": [str(theirs)]})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{base}/")
    (after,), audits_after = _state(app, model, theirs)
    assert after[1] == approved and after[2] == row[2] + 1 and audits_after > audits
    # the attacker's own row, in another queue, is untouched
    assert _state(app, model, own)[0][0][1] in ("submitted", "pending")


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_owner_rejects_chosen_rows_with_a_reason_on_the_confirm_page(app, rows, kind):
    base, model, owner, _attacker, _approved = KINDS[kind]
    theirs = rows[kind]["theirs"]
    client = _client(app, owner)
    response = client.post(f"{base}/action_post", data={"action": "reject", "rowid": [str(theirs)]})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'<li data-id="{theirs}">' in page and 'name="reason"' in page
    before = _state(app, model, theirs)
    html = client.post(f"{base}/reject", data={"rowid": [str(theirs)], "reason": " "}).get_data(as_text=True)
    assert 'id="error-reason"' in html and "请填写审核不通过原因" in html
    assert _state(app, model, theirs) == before
    assert client.post(f"{base}/reject", data={"rowid": [str(theirs)], "reason": "材料不全"}).status_code == 302
    (after,), _audits = _state(app, model, theirs)
    assert after[1] == "rejected" and after[3] == "材料不全"


def test_the_units_own_path_lists_hold_only_their_own_paths(app, rows):
    """单位路径申请 is a list view too: its base filter is the unit's own paths, whatever the arguments."""
    theirs, own = rows["path"]["theirs"], rows["path"]["own"]
    for username, shown, hidden in (("demo_unit", theirs, own), ("unit_jn", own, theirs)):
        client = _client(app, username)
        for url in ("/units/paths/?kind=unit", "/units/paths/?kind=unit&status=",
                    "/units/paths/?kind=unit&status=pending", f"/units/paths/?kind=unit&_flt_0_unit_id={hidden}"):
            page = client.get(url).get_data(as_text=True)
            assert f'data-id="{shown}"' in page and f'data-id="{hidden}"' not in page, (username, url)
        assert f'data-id="{shown}"' not in client.get("/units/paths/?kind=committee").get_data(as_text=True)
    assert _client(app, "demo_person").get("/units/paths/?kind=unit").status_code == 403
