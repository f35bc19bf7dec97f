"""The reads of the certificate-request pages as an attacker tries them: a request's PDF is served under its
own request only (a historical registration's file is not reachable through a reissue request, nor the
reverse), the 所属申报点 list names only the offices of the region and the regions above it, and a holder
cannot open the reissue form of someone else's certificate."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models.certificate_requests import HistoricalRegistration, ReissueRequest, RequestFile
from app.models.certificates import Certificate
from tests.conftest import login
from tests.factories import make_person
from tests.integration.certificates_public_steps import (OLD_NUMBER, approved_historical, latest, office,
                                                         region_id, request_reissue)


def _client(app, name: str):
    client = app.test_client()
    assert login(client, name).status_code == 302
    return client


def _file_of(app, column, owner_id: int) -> int:
    with app.app_context():
        return db.session.execute(select(RequestFile.id).where(column == owner_id)
                                  .order_by(RequestFile.id)).scalars().first()


def test_a_request_file_is_served_under_its_own_request_only(app, demo):
    person, bureau = _client(app, "demo_person"), _client(app, "demo_bureau")
    historical_id = approved_historical(app, person, bureau)
    with app.app_context():
        old_id = db.session.execute(select(Certificate.id).where(Certificate.number == OLD_NUMBER)).scalar_one()
    assert request_reissue(app, person, old_id, office(app)).status_code == 302
    reissue_id = latest(app, ReissueRequest)
    historical_file = _file_of(app, RequestFile.historical_id, historical_id)
    reissue_file = _file_of(app, RequestFile.reissue_id, reissue_id)

    assert bureau.get(f"/certificate-reviews/historical/{historical_id}/files/{historical_file}").status_code == 200
    assert bureau.get(f"/certificate-reviews/reissue/{reissue_id}/files/{reissue_file}").status_code == 200
    assert bureau.get(f"/certificate-reviews/reissue/{reissue_id}/files/{historical_file}").status_code == 404
    assert bureau.get(f"/certificate-reviews/historical/{historical_id}/files/{reissue_file}").status_code == 404
    shown = bureau.get(f"/certificate-reviews/reissue/{reissue_id}").get_data(as_text=True)
    assert "登报声明.pdf" in shown and "申报表.pdf" not in shown  # the registration's form is not listed here
    # the holder reaches both of their own files, another applicant neither
    assert person.get(f"/certificate-requests/files/{reissue_file}").status_code == 200
    with app.app_context():
        make_person()
    other = _client(app, "wangwu")
    assert other.get(f"/certificate-requests/files/{reissue_file}").status_code == 404
    assert other.get(f"/certificate-requests/files/{historical_file}").status_code == 404
    assert other.get(f"/certificate-requests/reissue/{old_id}/new").status_code == 404
    assert other.get("/certificate-requests/historical/").get_data(as_text=True).count(OLD_NUMBER) == 0
    with app.app_context():
        assert db.session.get(HistoricalRegistration, historical_id).person.user.username == "demo_person"


def test_the_offices_list_names_the_region_and_those_above_it_only(app, demo):
    office(app, "371002", "环翠区受理点")
    office(app, "371000", "威海市受理点")
    office(app, "370000", "省直受理点")
    office(app, "370100", "济南市受理点")
    person = _client(app, "demo_person")
    with app.app_context():
        huancui, weihai = region_id("371002"), region_id("371000")
    mine = {"环翠区受理点", "威海市受理点", "省直受理点", "济南市受理点"}
    names = {row["name"] for row in person.get(f"/certificate-requests/offices?region={huancui}").get_json()}
    assert names & mine == {"环翠区受理点", "威海市受理点", "省直受理点"}
    names = {row["name"] for row in person.get(f"/certificate-requests/offices?region={weihai}").get_json()}
    assert names & mine == {"威海市受理点", "省直受理点"}  # not the district below it, nor Jinan
    for region in ("", "abc", "-1", "1 OR 1=1", "99999999999", "999999"):
        assert person.get(f"/certificate-requests/offices?region={region}").get_json() == []
