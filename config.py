"""Settings with their defaults. Any setting can be overridden by an environment variable
named ZC_<SETTING> (ZC_LOCKOUT_ATTEMPTS=3, ZC_CAPTCHA_ENABLED=0, ...); ZC_DATABASE_URL sets the
database."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask_appbuilder.security.manager import AUTH_DB

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("ZC_INSTANCE_DIR", BASE_DIR / "instance"))


def _secret_key() -> str:
    """A stable random key per instance, so a fresh clone never runs with a known secret."""
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    key_file = INSTANCE_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


class Config:
    # --- app and database ---
    APP_NAME = "职称申报评审系统"
    SECRET_KEY = os.environ.get("ZC_SECRET_KEY") or _secret_key()
    DATABASE_URL = f"sqlite:///{INSTANCE_DIR / 'zhicheng.db'}"
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    # a write waiting longer than this for a lock gets the "please retry" page (SQLite busy_timeout,
    # PostgreSQL lock_timeout)
    DB_LOCK_TIMEOUT_MS = 10_000
    SQLITE_JOURNAL_MODE = "WAL"  # readers do not block the writer
    SQLITE_SYNCHRONOUS = "FULL"  # a committed transaction survives a power cut, not only a crash
    BACKUP_DIR = str(INSTANCE_DIR / "backups")
    TIMEZONE = "Asia/Shanghai"  # times are stored in UTC and shown in this zone

    # --- Flask-AppBuilder ---
    AUTH_TYPE = AUTH_DB
    AUTH_USER_REGISTRATION = False  # our own registration forms (no reCAPTCHA)
    FAB_SECURITY_MANAGER_CLASS = "app.security.manager.AppSecurityManager"
    FAB_CREATE_DB = False  # Flask-Migrate owns the schema
    FAB_UPDATE_PERMS = False  # permissions are synced by `flask sync-roles`
    FAB_ADD_SECURITY_API = False  # users and roles are managed in the pages (A8); its PUT answers 500 on a missing id
    FAB_API_SWAGGER_UI = True
    FAB_BASE_TEMPLATE = "base.html"
    FAB_INDEX_VIEW = "app.views.home.HomeIndexView"
    FAB_PASSWORD_COMPLEXITY_ENABLED = True
    FAB_PASSWORD_COMPLEXITY_VALIDATOR = "app.security.passwords.fab_password_validator"
    AUTH_ROLE_ADMIN = "Admin"
    AUTH_ROLE_PUBLIC = "Public"
    AUTH_RATE_LIMITED = False  # FAB's blanket limit on its login blueprint: ours are per form, below
    # Password login through POST /api/v1/security/login: off; integrations use API keys made by the
    # admin (`flask create-api-key`). When on, it shares the page's lockout and a per-address limit.
    API_PASSWORD_LOGIN = False
    FAB_API_KEY_ENABLED = True

    # --- rate limits (Flask-Limiter, fixed windows; "N/minute;M/hour", every part counts) ---
    RATE_LIMITS_ENABLED = True  # our limits below; ZC_RATE_LIMITS_ENABLED=0 switches them off
    RATELIMIT_ENABLED = True  # Flask-Limiter itself (no limits of its own); when off, ours still count
    # appdb:// keeps counters in the app's database, shared by all workers; or redis://host:6379/0
    RATELIMIT_STORAGE_URI = "appdb://"
    RATELIMIT_LOGIN_PER_ADDRESS = "30/minute;300/hour"
    RATELIMIT_API_LOGIN_PER_ADDRESS = "10/minute;100/hour"
    RATELIMIT_CAPTCHA_PER_ADDRESS = "60/minute;600/hour"
    RATELIMIT_RECOVERY_PER_ADDRESS = "10/minute;60/hour"  # code requests, resets, login name look-ups
    RATELIMIT_RECOVERY_CODE_PER_ACCOUNT = "1/minute;5/hour;10/day"  # codes sent to one login name
    RATELIMIT_RECOVERY_RESET_PER_ACCOUNT = "10/hour;20/day"  # code tries for one login name, all codes
    RATELIMIT_RECOVERY_LOOKUP_PER_ID_NUMBER = "5/hour;10/day"  # 忘记用户名 look-ups of one ID number
    RATELIMIT_REGISTER_PER_ADDRESS = "10/minute;60/hour"
    RATELIMIT_OBJECTION_PER_ADDRESS = "3/minute;20/day"  # 异议 filed on the public 评审结果公示 page

    # --- language (X1) ---
    BABEL_DEFAULT_LOCALE = "zh"
    BABEL_DEFAULT_FOLDER = "translations"
    BABEL_TRANSLATION_DIRECTORIES = "translations"
    LANGUAGES = {"zh": {"flag": "cn", "name": "中文"}, "en": {"flag": "gb", "name": "English"}}

    # --- accounts (A3, A4, A7) ---
    CAPTCHA_ENABLED = True
    CAPTCHA_MINUTES = 5  # a captcha image is valid this long, once
    LOCKOUT_ATTEMPTS = 5
    LOCKOUT_MINUTES = 15
    PASSWORD_MIN_LENGTH = 8
    RECOVERY_CODE_MINUTES = 10
    RECOVERY_MAX_TRIES = 5
    SESSION_IDLE_MINUTES = 30

    # --- lists (app/daos/paging.py): a page counts its list up to this many rows, then says 超过 N 条 ---
    PAGING_COUNT_CAP = 10_000
    # SQLite: a unit queue sorted by 姓名 longer than this is read from the applicants in name order (no sort
    # of the whole queue); a shorter one is sorted, which is cheaper than walking every applicant's name
    NAME_SORT_FROM_PERSON_ABOVE = 2_000
    # catalog choice lists that are the same for every request (the unit lists' 申报级别): read again after
    # this many seconds, and at once in the process that changes them; 0 reads them on every request
    CHOICE_CACHE_SECONDS = 60
    # the bureau's 统计 (app/daos/overview.counts_as_of): its grouped counts are kept this many seconds per
    # worker, and the page says when they were counted; 0 counts on every request
    OVERVIEW_CACHE_SECONDS = 60

    # --- behind a proxy: trust one hop of X-Forwarded-For/-Proto/-Host (docs/deploy.md) ---
    PROXY_FIX = False
    # Host names the site answers to, comma-separated (ZC_TRUSTED_HOSTS=zc.example.gov.cn); any other Host
    # header is a 400, so a forged one never reaches a redirect. Set it to the public name in production.
    TRUSTED_HOSTS = "localhost,127.0.0.1"

    # --- response headers (docs/security/input.md) ---
    CONTENT_SECURITY_POLICY = "frame-ancestors 'none'; base-uri 'self'; object-src 'none'; form-action 'self'"

    # --- cookies ---
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # set ZC_SESSION_COOKIE_SECURE=1 behind HTTPS
    REMEMBER_COOKIE_HTTPONLY = True
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # a long form must not expire while the applicant types

    # --- notifications (A7, S2) ---
    MAIL_SENDER = "outbox"  # "outbox" keeps messages in a table; "smtp" sends them
    SMS_SENDER = "outbox"
    SMTP_HOST = "127.0.0.1"
    SMTP_PORT = 25
    SMTP_USER = ""
    SMTP_PASSWORD = ""
    SMTP_STARTTLS = False
    MAIL_FROM = "noreply@zhicheng.local"

    # --- uploads and files ---
    UPLOAD_MAX_BYTES = 5 * 1024 * 1024
    ATTACHMENT_DIR = str(INSTANCE_DIR / "attachments")
    UPLOAD_FOLDER = str(INSTANCE_DIR / "fab_uploads")  # FAB's generic file fields (unused by our forms)
    IMG_UPLOAD_FOLDER = str(INSTANCE_DIR / "fab_uploads")

    # --- continuing education (继续教育, P4) ---
    CONTINUING_EDUCATION_HOURS_PER_YEAR = 90  # required hours a year, shown against each year's total
    CONTINUING_EDUCATION_IMPORT_MAX_BYTES = 1024 * 1024  # the platform's CSV/Excel export

    # --- the committee (M1a–M1c) ---
    EXPERT_TERM_MAX_YEARS = 3  # an expert's term (聘期) is at most this long
    EXPERT_IMPORT_MAX_ROWS = 2000  # rows of one expert list (Excel or CSV) imported at once
    EXPERT_IMPORT_MAX_BYTES = 1024 * 1024
    MEETING_MAX_EXPERTS = 49  # how many experts one meeting may draw
    MEETING_MAX_APPLICATIONS = 500  # applications one meeting covers
    # the vote (M2), kept as fractions and compared in integers: quorum present/seated, pass 同意/present
    VOTE_QUORUM = "2/3"
    VOTE_PASS_RATIO = "2/3"
    PUBLICITY_WORKING_DAYS = 5  # 公示期, counted with China's holidays and make-up working days
    PUBLICITY_JOB_MINUTES = 30  # how often the scheduler ends the publicity periods that are over
    OBJECTION_TEXT_MAX = 2000

    # --- certificates (证书, app/commands/certificates) ---
    CERT_VERIFY_CODE_LENGTH = 12  # characters of the online verification code (at least 10)
    CERT_ISSUE_MAX = 500  # applicants one 证书入库 may take at once
    # the PAdES signing key: a PKCS#12 file (production), else the key `flask certificates init-signing` made
    CERT_SIGNING_P12 = ""
    CERT_SIGNING_P12_PASSWORD = ""
    CERT_SIGNING_DIR = str(INSTANCE_DIR / "signing")
    CERT_SEAL_DIR = str(INSTANCE_DIR / "seals")
    CERT_SEAL_MAX_BYTES = 512 * 1024
    # the site address the QR code opens (https://zc.example.gov.cn); empty: the address of the request
    CERT_VERIFY_BASE_URL = ""

    # --- public verification (证书查询, 验真) and the holder's requests (历史职称数据登记, 补办/换发) ---
    RATELIMIT_VERIFY_PER_ADDRESS = "10/minute"  # look-ups (page, QR link, JSON, PDF check) per address
    VERIFY_PDF_MAX_BYTES = 2 * 1024 * 1024  # an uploaded certificate PDF to check (验真)
    CERT_REQUEST_PDF_MAX_BYTES = 5 * 1024 * 1024  # each PDF of a historical registration or reissue request

    # --- scheduler (S1) ---
    # The jobs run in `flask scheduler run` processes (one is elected, docs/deploy.md); 1 also lets each web
    # process take part in the election from a thread (never needed with a scheduler process beside it)
    SCHEDULER_ENABLED = False
    UNLOCK_JOB_MINUTES = 1
    SCHEDULER_LEASE_SECONDS = 60  # SQLite election: the holder renews its lease; a dead one is replaced after it
    SCHEDULER_STANDBY_SECONDS = 15  # how often a waiting scheduler tries to take over
    DEADLINE_JOB_MINUTES = 60  # reminders, period notices and overdue marks (each at most once a day)

    # --- deadlines (issue: deadlines, reminders, overview) ---
    REMINDER_DAYS = "7,3,1"  # days before a close on which reminders go out
    OVERDUE_DAYS = 10  # an application waiting at one unit longer than this is overdue
    EXPORT_MAX_ROWS = 50000  # the longest Excel list (一览表) one download writes

    # --- demo data (C5) ---
    DEMO_PASSWORD = "Demo@2026"


def _cast(value: str, default):
    if isinstance(default, bool):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(value)
    return value


def load_settings(overrides: dict | None = None) -> dict:
    """Defaults from Config, then ZC_* environment variables, then explicit overrides (tests)."""
    settings = {k: getattr(Config, k) for k in dir(Config) if k.isupper()}
    for key, default in list(settings.items()):
        env_value = os.environ.get(f"ZC_{key}")
        if env_value is not None:
            settings[key] = _cast(env_value, default)
    settings.update(overrides or {})
    settings["SQLALCHEMY_DATABASE_URI"] = settings["DATABASE_URL"]
    if isinstance(settings["TRUSTED_HOSTS"], str):  # Flask wants a list
        settings["TRUSTED_HOSTS"] = [h.strip() for h in settings["TRUSTED_HOSTS"].split(",") if h.strip()]
    settings["AUTH_DB_FAKE_PASSWORD_HASH_CHECK"] = settings.get("AUTH_DB_FAKE_PASSWORD_HASH_CHECK") or (
        "scrypt:32768:8:1$fakesaltfakesalt$" + "0" * 128)
    # Requests far above the attachment limit are cut off before they are read (the 413 page);
    # between the two, the upload page itself says the file is too large.
    settings["MAX_CONTENT_LENGTH"] = settings.get("MAX_CONTENT_LENGTH") or 4 * int(settings["UPLOAD_MAX_BYTES"])
    return settings
