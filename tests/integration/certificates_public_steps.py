"""Steps shared by the tests of the public side of certificates: a historical registration made and decided
through the pages, a reissue request, a look-up on /verify. Values are written here, never read back
from the app to build an expectation."""
from __future__ import annotations

import io

from sqlalchemy import select

from app.extensions import db
from app.models.catalog import Region, TitleLevel
from app.models.certificate_requests import HistoricalRegistration
from app.models.offices import AcceptingOffice

PDF = b"%PDF-1.4\n% a scanned page\n" + b"0" * 200 + b"\n%%EOF\n"
HOLDER_NAME, HOLDER_ID = "张晓燕", "37100219900315002X"  # demo_person (app/demo.py)
OLD_NUMBER = "鲁职改字第0815号"
NOT_FOUND = "未查询到相关证书"


def pdf(name: str = "scan.pdf", data: bytes = PDF):
    return io.BytesIO(data), name


def region_id(code: str) -> int:
    return db.session.execute(select(Region.id).where(Region.code == code)).scalar_one()


def level_id(name: str = "中级") -> int:
    return db.session.execute(select(TitleLevel.id).where(TitleLevel.name == name)).scalar_one()


def historical_form(app, **changes) -> dict:
    with app.app_context():
        data = {"series_name": "群众文化", "level_id": str(level_id()), "title_name": "馆员",
                "specialty_name": "舞蹈", "certificate_no": OLD_NUMBER, "issuing_body": "威海市职称改革领导小组",
                "issued_on": "2008-12-20", "region_id": str(region_id("371000"))}
    data.update({"form": pdf("申报表.pdf"), "old_certificate": pdf("老证书.pdf")})
    data.update(changes)
    return data


def register_historical(app, client, **changes):
    return client.post("/certificate-requests/historical/new", data=historical_form(app, **changes),
                       content_type="multipart/form-data")


def latest(app, model):
    with app.app_context():
        return db.session.execute(select(model.id).order_by(model.id.desc()).limit(1)).scalar_one()


def decide(client, kind: str, row_id: int, approve: bool = True, reason: str = ""):
    return client.post(f"/certificate-reviews/{kind}/{row_id}/decide",
                       data={"decision": "approve" if approve else "reject", "reason": reason})


def approved_historical(app, person_client, bureau_client) -> int:
    assert register_historical(app, person_client).status_code == 302
    row_id = latest(app, HistoricalRegistration)
    assert decide(bureau_client, "historical", row_id).status_code == 302
    return row_id


def office(app, code: str = "371000", name: str = "威海市职称办受理点") -> int:
    with app.app_context():
        row = AcceptingOffice(name=name, region_id=region_id(code))
        db.session.add(row)
        db.session.commit()
        return row.id


def request_reissue(app, client, certificate_id: int, office_id: int, **changes):
    with app.app_context():
        data = {"review_kind": "review", "kind": "reissue", "region_id": str(region_id("371000")),
                "office_id": str(office_id), "original": pdf("老证书.pdf"), "void_notice": pdf("登报声明.pdf"),
                "reissue_form": pdf("补办申请表.pdf")}
    data.update(changes)
    return client.post(f"/certificate-requests/reissue/{certificate_id}/new", data=data,
                       content_type="multipart/form-data")


def look_up(client, name=HOLDER_NAME, id_number=HOLDER_ID, key=""):
    return client.post("/verify", data={"name": name, "id_number": id_number, "key": key})

