"""Certificates are another region's, another unit's or another holder's business: a forged 注销, 下载,
导出, 入库 or API read of a row outside the signed-in account's scope is refused and changes nothing
(FAB's action_post loads rows by id without the list's filter; the commands and the DAO check again)."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.commands.certificates.issue import IssueCertificatesCommand
from app.extensions import db
from app.models.certificates import Certificate
from tests.conftest import login
from tests.integration.cert_fixtures import authorised_unit, bureau, final_passed


@pytest.fixture
def two_regions(app, tmp_path):
    """A certificate issued in 威海市 (环翠区 unit) and one in 济南市 (历下区 unit); their ids."""
    app.config["CERT_SIGNING_DIR"] = str(tmp_path / "signing")
    with app.app_context():
        weihai_user, weihai = authorised_unit("issuer_wh", "威海市职称认定中心", "371002")
        jinan_user, jinan = authorised_unit("issuer_jn", "济南市职称认定中心", "370102")
        ours = IssueCertificatesCommand(weihai_user, final_passed(weihai, 1), dt.date(2026, 11, 20)).run()[0]
        theirs = IssueCertificatesCommand(jinan_user, final_passed(jinan, 1, start=1), dt.date(2026, 11, 20)).run()[0]
        bureau("bureau_wh", "371000")
        bureau("bureau_jn", "370100")
        return {"ours": ours.id, "theirs": theirs.id}


def _status(app, certificate_id):
    with app.app_context():
        return db.session.get(Certificate, certificate_id).status


def test_a_forged_revocation_of_another_regions_certificate_is_refused(app, client, two_regions):
    login(client, "bureau_wh")
    response = client.post("/certificates/revoke/", data={"ids": str(two_regions["theirs"]), "reason": "伪造"})
    assert response.status_code == 404
    mixed = client.post("/certificates/revoke/", data={"ids": f"{two_regions['ours']},{two_regions['theirs']}",
                                                       "reason": "伪造"})
    assert mixed.status_code == 404
    assert _status(app, two_regions["theirs"]) == "valid" and _status(app, two_regions["ours"]) == "valid"
    # the confirm page reached through FAB's action with a forged row id lists nothing of theirs
    client.post("/certificates/library/action_post", data={"action": "revoke", "rowid": [two_regions["theirs"]]})
    page = client.get(f"/certificates/revoke/?ids={two_regions['theirs']}").get_data(as_text=True)
    assert "持证人1" not in page
    # its own region's certificate it may revoke
    own = client.post("/certificates/revoke/", data={"ids": str(two_regions["ours"]), "reason": "信息有误"})
    assert own.status_code == 302 and _status(app, two_regions["ours"]) == "revoked"


def test_a_unit_cannot_revoke_what_another_unit_issued(app, client, two_regions):
    login(client, "issuer_jn")
    assert client.post("/certificates/revoke/", data={"ids": str(two_regions["ours"]),
                                                      "reason": "伪造"}).status_code == 404
    assert _status(app, two_regions["ours"]) == "valid"


def test_the_holder_cannot_revoke_their_own(app, client, two_regions):
    login(client, "holder0")
    assert client.post("/certificates/revoke/", data={"ids": str(two_regions["ours"]),
                                                      "reason": "x"}).status_code == 403
    assert _status(app, two_regions["ours"]) == "valid"


def test_forged_download_and_export_of_another_regions_certificate_give_nothing(app, client, two_regions):
    login(client, "bureau_wh")
    assert client.get(f"/certificates/{two_regions['theirs']}/download").status_code == 404
    assert client.get(f"/certificates/{two_regions['theirs']}/preview").status_code == 404
    assert client.get(f"/certificates/library/show/{two_regions['theirs']}").status_code == 404
    assert client.get(f"/certificates/library/show/{two_regions['ours']}").status_code == 200
    action = client.post("/certificates/library/action_post", data={"action": "download",
                                                                    "rowid": [two_regions["theirs"]]})
    assert action.status_code == 302 and action.mimetype != "application/pdf"
    export = client.post("/certificates/library/action_post", data={"action": "export",
                                                                    "rowid": [two_regions["theirs"]]})
    assert "持证人1".encode("utf-8") not in export.data
    from openpyxl import load_workbook
    import io

    rows = list(load_workbook(io.BytesIO(client.get("/certificates/library/export.xlsx").data)).active
                .iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == ["持证人0"]  # only 威海市's


def test_another_holder_gets_404_and_the_api_shows_only_ones_own(app, client, two_regions):
    login(client, "holder1")
    assert client.get(f"/certificates/{two_regions['ours']}/download").status_code == 404
    listed = client.get("/api/v1/certificates/").get_json()
    assert [row["holder_name"] for row in listed["result"]] == ["持证人1"]
    assert client.get(f"/api/v1/certificates/{two_regions['ours']}").status_code == 404
    own = client.get(f"/api/v1/certificates/{two_regions['theirs']}").get_json()["result"]
    assert own["masked_id_number"].count("*") == 8 and "holder_id_number" not in own
    bureau_client = app.test_client()
    login(bureau_client, "bureau_jn")
    assert [r["holder_name"] for r in bureau_client.get("/api/v1/certificates/").get_json()["result"]] == ["持证人1"]


def test_a_forged_issue_for_another_units_applicant_issues_nothing(app, client):
    with app.app_context():
        authorised_unit("issuer_wh", "威海市职称认定中心", "371002")
        _user, other = authorised_unit("issuer_rc", "荣成市职称认定中心", "371082")
        theirs = final_passed(other, 1)[0]
    login(client, "issuer_wh")
    response = client.post("/certificates/recognition/issue", data={"ids": [theirs], "published_on": "2026-11-20"})
    assert response.status_code == 400 and "未入库任何证书" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(Certificate.id)).first() is None


def test_only_an_issuer_uploads_a_seal(app, client, two_regions):
    login(client, "holder0")
    assert client.post("/certificates/seal/", data={}).status_code == 403
    from tests.factories import make_unit_account

    with app.app_context():
        make_unit_account("plain_unit", "普通单位")
    plain = app.test_client()
    login(plain, "plain_unit")
    assert plain.post("/certificates/seal/", data={}).status_code == 403
