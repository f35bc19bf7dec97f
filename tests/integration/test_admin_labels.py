"""Issue items 17, 19, 20: the admin pages show Chinese labels, not codes (roles, permissions, audit
actions and states, region levels, channels), no "None"/"__None", FAB's dialog in Chinese, masked
mobiles in the outbox, messages in local time with 是/否, and a favicon."""
from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from app.extensions import db
from app.models.audit import AuditLog
from app.models.notify import Notification, OutboxMessage
from tests.conftest import login


def _admin(app):
    client = app.test_client()
    assert login(client, "admin").status_code == 302
    return client


def _cells(html: str) -> list[str]:
    return [re.sub(r"\s+", " ", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", html, re.S)]


def test_users_and_backend_accounts_show_role_labels(app, demo):
    admin = _admin(app)
    users = admin.get("/users/list/").get_data(as_text=True)
    cells = _cells(users)
    for label in ("个人", "单位", "人社局", "评委会", "管理员"):
        assert label in cells, label
    for code in ("[Individual]", "[Unit]", "[Bureau]", "[Committee]", "[Admin]", ">True<"):
        assert code not in users
    backend = admin.get("/admin/backend-accounts/list/").get_data(as_text=True)
    assert "人社局" in _cells(backend) and "[Bureau]" not in backend


def test_user_form_offers_roles_by_label(app, demo):
    form = _admin(app).get("/users/add").get_data(as_text=True)
    options = re.findall(r"<option[^>]*>([^<]*)</option>", form)
    assert {"个人", "单位", "人社局", "评委会", "管理员"} <= set(options)
    assert not {"Individual", "Unit", "Bureau", "Committee", "Admin"} & set(options)
    assert "It's not a good policy" not in form and "不建议删除用户" in form


def test_roles_and_permissions_show_labels(app, demo):
    admin = _admin(app)
    roles = admin.get("/roles/list/").get_data(as_text=True)
    assert "查看 消息" in roles and "can read on Notification" not in roles
    edit = admin.get("/roles/list/?_flt_0_name=Individual").get_data(as_text=True)
    assert "个人" in _cells(edit)
    permissions = admin.get("/permissions/list/?psize_PermissionModelView=100").get_data(as_text=True)
    assert "菜单" in _cells(permissions) and "menu_access" not in _cells(permissions)
    menus = admin.get("/permissionviews/list/?psize_PermissionViewModelView=100").get_data(as_text=True)
    assert "can_read" not in _cells(menus)


def test_audit_log_shows_actions_roles_and_states_by_label(app, demo):
    with app.app_context():
        db.session.add(AuditLog(at=dt.datetime(2026, 3, 1, 2, 0), actor_name="demo_unit", actor_role="Unit",
                                action="application.pass", object_type="application", object_id="7",
                                from_state="pending_unit", to_state="passed_unit"))
        db.session.commit()
    cells = _cells(_admin(app).get("/admin/audit/list/").get_data(as_text=True))
    row = cells[cells.index("demo_unit"):][:8]
    assert row[1:7] == ["单位", "审核通过", "申报", "7", "待单位审核", "通过未上报"], row
    assert "login" not in cells and "pending_unit" not in cells and "登录" in cells


def test_regions_and_business_modules_show_no_codes_or_none(app, demo):
    admin = _admin(app)
    regions = admin.get("/catalog/regions/list/").get_data(as_text=True)
    cells = _cells(regions)
    assert "省" in cells and "province" not in cells and "None" not in cells
    form = admin.get("/catalog/business-sections/add").get_data(as_text=True)
    assert ">__None<" not in form and "（无）" in form


def test_fab_delete_dialog_is_in_chinese(app, demo):
    page = _admin(app).get("/catalog/regions/list/").get_data(as_text=True)
    dialog = page[page.index('id="modal-confirm"'):]
    assert ">取消<" in dialog and ">确定<" in dialog
    assert ">Cancel<" not in page and ">OK<" not in page


def test_bureau_regions_page_in_chinese(app, demo):
    client = app.test_client()
    assert login(client, "demo_bureau").status_code == 302
    page = client.get("/catalog/regions/list/").get_data(as_text=True)
    assert "Are you sure" not in page and ">Show<" not in page and "province" not in _cells(page)


def test_outbox_masks_mobile_numbers_and_labels_channels(app, demo):
    with app.app_context():
        db.session.add(OutboxMessage(channel="sms", recipient="13812345678", subject="", body="验证码 123456",
                                     created_at=dt.datetime(2026, 3, 1), delivered_by="outbox"))
        db.session.commit()
        row_id = db.session.execute(select(OutboxMessage.id)).scalar_one()
    admin = _admin(app)
    for url in ("/admin/outbox/list/", f"/admin/outbox/show/{row_id}"):
        page = admin.get(url).get_data(as_text=True)
        assert "13812345678" not in page, url
        assert "138****5678" in page, url
        assert "短信" in page and ">sms<" not in page and ">outbox<" not in page, url


def test_messages_show_local_time_and_read_as_yes_no(app, demo):
    with app.app_context():
        user = app.appbuilder.sm.find_user(username="demo_person")
        db.session.add(Notification(user_id=user.id, title="申报已退回", body="",
                                    created_at=dt.datetime(2026, 3, 1, 1, 2, 3, 456789), read=False))
        db.session.commit()
    client = app.test_client()
    assert login(client, "demo_person").status_code == 302
    page = client.get("/account/messages/list/").get_data(as_text=True)
    cells = _cells(page)
    assert "2026-03-01 09:02" in cells  # UTC 01:02 is 09:02 in Beijing
    assert "456789" not in page and "01:02:03" not in page
    assert "否" in cells and "False" not in cells


def test_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
