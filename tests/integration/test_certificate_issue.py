"""证书入库: the issuing command gives every selected 终审通过 applicant a certificate, or nobody one."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from app.commands.certificates.issue import IssueCertificatesCommand
from app.commands.certificates.numbers import CODE_ALPHABET
from app.commands.errors import Forbidden, Invalid, NotAllowed
from app.extensions import db
from app.models.applications import Application, ApplicationEvent
from app.models.audit import AuditLog
from app.models.certificates import Certificate
from tests.factories import make_unit_account
from tests.integration.cert_fixtures import authorised_unit, bureau, final_passed

PUBLISHED = dt.date(2026, 11, 20)


def _count(model):
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def test_the_authorised_unit_issues_certificates_to_its_final_passed_applicants(ctx):
    user, unit = authorised_unit()
    ids = final_passed(unit, 2)
    issued = IssueCertificatesCommand(user, ids, "2026-11-20").run()
    assert [c.application_id for c in issued] == ids
    numbers = [c.number for c in issued]
    assert numbers == ["3710022026000001", "3710022026000002"]  # 环翠区 371002, year of 公布时间, sequence
    for certificate in issued:
        assert len(certificate.verify_code) >= 10 and set(certificate.verify_code) <= set(CODE_ALPHABET)
        assert certificate.status == "valid" and certificate.published_on == PUBLISHED
        assert certificate.issuer_kind == "unit" and certificate.issuer_name == "威海市职称认定中心"
        assert certificate.holder_id_number and re.fullmatch(r"持证人\d", certificate.holder_name)
        assert certificate.level_name == "初级" and certificate.series_name == "群众文化"
    db.session.expire_all()
    assert {a.status for a in db.session.execute(select(Application)).scalars()} == {"certified"}
    assert _count(ApplicationEvent) == 2
    assert db.session.execute(select(func.count()).where(AuditLog.action == "certificate.issue")).scalar_one() == 2
    assert CODE_ALPHABET.isupper() and len(set(CODE_ALPHABET)) == 32 and not set("01IO") & set(CODE_ALPHABET)


def test_the_bureau_of_the_region_issues_too(ctx):
    _, unit = authorised_unit()
    ids = final_passed(unit, 1)
    issued = IssueCertificatesCommand(bureau(), ids, PUBLISHED).run()
    assert issued[0].issuer_kind == "bureau" and issued[0].issuer_name == "威海市人力资源和社会保障局"
    assert issued[0].number.startswith("3710002026")


def test_one_applicant_not_final_passed_means_nobody_gets_a_certificate(ctx):
    user, unit = authorised_unit()
    ids = final_passed(unit, 2) + final_passed(unit, 1, start=5, status="pending_unit")
    with pytest.raises(NotAllowed):
        IssueCertificatesCommand(user, ids, PUBLISHED).run()
    db.session.expire_all()
    assert _count(Certificate) == 0 and _count(ApplicationEvent) == 0
    assert db.session.execute(select(func.count()).where(Application.status == "final_passed")).scalar_one() == 2


def test_another_units_applicant_is_refused_and_nothing_is_issued(ctx):
    user, unit = authorised_unit()
    _, other = authorised_unit("issuer2", "荣成市职称认定中心", "371082")
    ids = final_passed(unit, 1) + final_passed(other, 1, start=3)
    with pytest.raises(NotAllowed):
        IssueCertificatesCommand(user, ids, PUBLISHED).run()
    db.session.expire_all()
    assert _count(Certificate) == 0


def test_a_bureau_of_another_city_cannot_issue(ctx):
    _, unit = authorised_unit()
    ids = final_passed(unit, 1)
    with pytest.raises(NotAllowed):
        IssueCertificatesCommand(bureau("bureau_jn", "370100"), ids, PUBLISHED).run()


def test_transfer_in_gets_no_certificate(ctx):
    user, unit = authorised_unit()
    ids = final_passed(unit, 1, business="transfer")
    with pytest.raises(NotAllowed):
        IssueCertificatesCommand(user, ids, PUBLISHED).run()


@pytest.mark.parametrize("value, message", [("", "公布时间"), ("2026/11/20", "YYYY-MM-DD"), ("2999-01-01", "未来")])
def test_a_wrong_publication_date_is_refused_at_its_field(ctx, value, message):
    user, unit = authorised_unit()
    ids = final_passed(unit, 1)
    with pytest.raises(Invalid) as err:
        IssueCertificatesCommand(user, ids, value).run()
    assert err.value.field == "published_on" and message in str(err.value.message)


def test_no_selection_and_no_issuer_role_are_refused(ctx):
    user, unit = authorised_unit()
    with pytest.raises(Invalid) as err:
        IssueCertificatesCommand(user, [], PUBLISHED).run()
    assert err.value.field == "application_ids"
    from tests.factories import make_person
    with pytest.raises(Forbidden):
        IssueCertificatesCommand(make_person(), final_passed(unit, 1), PUBLISHED).run()
    plain = make_unit_account("plain", "普通单位")
    with pytest.raises(NotAllowed):
        IssueCertificatesCommand(plain, final_passed(unit, 1, start=2), PUBLISHED).run()


def test_a_committee_command_issues_inside_its_own_transaction_with_its_issuer(ctx):
    """评审通过 results: the committee's command passes its issuer and joins the caller's transaction; a
    failure after the issue in the same transaction keeps nothing."""
    from app.commands.base import transaction
    from app.commands.certificates.issue import Issuer
    from app.models.catalog import Committee
    from tests.factories import id_number, make_application, make_backend, make_person

    person = make_person(username="reviewee", id_number=id_number(50), real_name="评审通过人")
    application = make_application(person, status="review_passed")
    committee = db.session.get(Committee, application.committee_id)
    office = make_backend("committee_office", "Committee", "371002", committee=committee)
    issuer = Issuer("committee", committee.id, committee.name, committee.region_id, "Committee")
    with pytest.raises(RuntimeError):
        with transaction():
            IssueCertificatesCommand(office, [application.id], PUBLISHED, issuer=issuer).run()
            assert _count(Certificate) == 1  # not committed yet: the outer block decides
            raise RuntimeError("a later step of the committee's command fails")
    assert _count(Certificate) == 0 and db.session.get(Application, application.id).status == "review_passed"
    with transaction():
        issued = IssueCertificatesCommand(office, [application.id], PUBLISHED, issuer=issuer).run()
    db.session.expire_all()
    assert issued[0].issuer_kind == "committee" and issued[0].issuer_name == committee.name
    assert db.session.get(Application, application.id).status == "certified"


def test_the_certificates_api_is_in_the_served_openapi_spec(app, client, demo):
    from tests.conftest import login

    login(client, "demo_person")
    paths = client.get("/api/v1/_openapi").get_json()["paths"]
    assert "/api/v1/certificates/" in paths and "/api/v1/certificates/{pk}" in paths
    rows = client.get("/api/v1/certificates/").get_json()["result"]
    assert [r["holder_name"] for r in rows] == ["张晓燕"]  # demo_person's one certificate (app/demo.py)
    assert rows[0]["masked_id_number"] == "371002********002X"
