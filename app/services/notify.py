"""Pluggable senders (A7, S2): every e-mail and SMS goes to the outbox table; with
MAIL_SENDER=smtp e-mail is also delivered over SMTP. In-app messages are Notification rows.
All writes join the caller's transaction."""
from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

import datetime as dt

from flask import current_app
from sqlalchemy import func, select, update

from app.clock import utcnow
from app.extensions import db
from app.models.deadlines import ReminderLog
from app.models.notify import Notification, OutboxMessage

log = logging.getLogger(__name__)


def _smtp_send(recipient: str, subject: str, body: str) -> bool:
    cfg = current_app.config
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = cfg["MAIL_FROM"], recipient, subject
    message.set_content(body, charset="utf-8")
    try:
        with smtplib.SMTP(cfg["SMTP_HOST"], cfg["SMTP_PORT"], timeout=10) as smtp:
            if cfg["SMTP_STARTTLS"]:
                smtp.starttls()
            if cfg["SMTP_USER"]:
                smtp.login(cfg["SMTP_USER"], cfg["SMTP_PASSWORD"])
            smtp.send_message(message)
        return True
    except (OSError, smtplib.SMTPException):
        log.exception("SMTP delivery to %s failed", recipient)
        return False


def send_email(recipient: str, subject: str, body: str) -> OutboxMessage:
    delivered_by = "outbox"
    if current_app.config["MAIL_SENDER"] == "smtp":
        delivered_by = "smtp" if _smtp_send(recipient, subject, body) else "failed"
    row = OutboxMessage(channel="email", recipient=recipient, subject=subject, body=body,
                        created_at=utcnow(), delivered_by=delivered_by)
    db.session.add(row)
    return row


def send_sms(mobile: str, body: str) -> OutboxMessage:
    """No SMS gateway is reachable here: SMS stay in the outbox (a gateway sender plugs in here)."""
    row = OutboxMessage(channel="sms", recipient=mobile, subject="", body=body, created_at=utcnow(),
                        delivered_by="outbox")
    db.session.add(row)
    return row


def notify_user(user, title: str, body: str = "", email: bool = True) -> Notification:
    """An in-app message, plus an e-mail where the user has an address."""
    from app.services import state_notices

    note = Notification(user_id=user.id, title=title, body=body, created_at=utcnow(), read=False)
    db.session.add(note)
    state_notices.mark_notified(db.session, user.id)  # the status-change notice does not repeat it
    if email and getattr(user, "email", None):
        send_email(user.email, title, body or title)
    return note


def _insert_ignoring_duplicates(table):
    """INSERT … ON CONFLICT DO NOTHING in the dialect of the database."""
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table).on_conflict_do_nothing()


def notify_once(user, kind: str, day: dt.date, title: str, body: str) -> bool:
    """A job's message (in-app and e-mail): at most once per user, kind and day, whatever runs and how
    often. The log row is written first with ON CONFLICT DO NOTHING, so of two runs at once one sends."""
    if not log_once(user.id, kind, day):
        return False
    notify_user(user, title, body)
    return True


def log_once(user_id: int, kind: str, day: dt.date) -> bool:
    """Write the (user, kind, day) row of reminder_log; False when it was there already."""
    return bool(db.session.execute(_insert_ignoring_duplicates(ReminderLog).values(
        user_id=user_id, kind=kind[:48], sent_on=day, created_at=utcnow())).rowcount)


def unread_count(user_id: int) -> int:
    """The navbar's count of unread messages (an index on user_id, read)."""
    return db.session.execute(select(func.count(Notification.id)).where(
        Notification.user_id == user_id, Notification.read.is_(False))).scalar_one()


def mark_all_read(user_id: int) -> int:
    """全部标为已读: one UPDATE of the user's own unread messages; returns how many."""
    return db.session.execute(update(Notification).where(
        Notification.user_id == user_id, Notification.read.is_(False)).values(read=True)).rowcount


def state_changed(application, action: str, opinion: str = "") -> None:
    """The timeline's hook: whom a status change concerns is told before the transaction commits."""
    from app.services import state_notices

    state_notices.state_changed(db.session, application, action, opinion)
