"""A7 with MAIL_SENDER=smtp: the recovery code really leaves by SMTP (a local aiosmtpd server),
and a server that is down leaves a "failed" outbox row, never an error page."""
from __future__ import annotations

import socket
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller

from tests.integration.test_recovery import (code_in, make_person, outbox, request_code, reset,  # noqa: F401
                                             zh_catalog)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Collector:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802  (aiosmtpd's hook name)
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.original_content or envelope.content,
                                                                    policy=default_policy)))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(app):
    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(MAIL_SENDER="smtp", SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port)
    yield handler
    controller.stop()


def test_recovery_mail_is_delivered_by_smtp(app, client, smtp_server, zh_catalog):
    make_person(app, email="wangwu@example.cn")
    response = request_code(client, channel="email")
    assert response.status_code == 302

    [(recipients, mail)] = smtp_server.messages
    assert recipients == ["wangwu@example.cn"]
    assert str(mail["Subject"]) == "[职称申报评审系统] 找回密码验证码"  # decoded from the encoded header
    assert mail["From"] == app.config["MAIL_FROM"]
    body = mail.get_content()
    [row] = outbox(app)
    assert row.delivered_by == "smtp" and row.channel == "email"
    code = code_in(row)
    assert code in body and "10分钟内有效" in body

    # the delivered code works
    assert reset(client, code).status_code == 302


def test_smtp_down_marks_the_outbox_row_failed(app, client):
    app.config.update(MAIL_SENDER="smtp", SMTP_HOST="127.0.0.1", SMTP_PORT=free_port())  # nobody listens
    make_person(app)
    response = request_code(client, channel="email", follow=True)
    assert response.status_code == 200
    assert "/recover/password/reset" in response.request.path
    [row] = outbox(app)
    assert row.delivered_by == "failed" and row.recipient == "wangwu@example.cn"


def test_sms_stays_in_the_outbox_with_smtp(app, client, smtp_server):
    make_person(app)
    request_code(client, channel="sms")
    [row] = outbox(app)
    assert row.channel == "sms" and row.delivered_by == "outbox"
    assert smtp_server.messages == []
