"""All models, imported here so Alembic and the app see one metadata (flask_appbuilder.Model)."""
from app.models.accounts import AccountSecurity, BackendBinding, Person, RecoveryCode, UserSession  # noqa: F401
from app.models.applications import (Application, ApplicationEvent, ApplicationSection,  # noqa: F401
                                     ApplicationStep, Attachment, Blacklist, BusinessSection,
                                     CommitmentAgreement, SectionEntry)
from app.models.audit import AuditLog  # noqa: F401
from app.models.certificates import Certificate, CertificateCounter, IssuerSeal  # noqa: F401
from app.models.certificate_requests import (HistoricalRegistration, ReissueRequest, RequestFile,  # noqa: F401
                                             VerificationLog)
from app.models.guards import CaptchaChallenge, LoginNameGuard, RateLimitCounter  # noqa: F401
from app.models.catalog import (ApplicationMethod, Committee, CommitteePeriod, ExceptionalCase, Region,  # noqa: F401
                                Specialty, Title, TitleLevel, TitleSeries)
from app.models.notify import Notification, OutboxMessage  # noqa: F401
from app.models.offices import AcceptingOffice  # noqa: F401
from app.models.units import Unit  # noqa: F401
from app.models.committee import Assignment, Expert, ExpertDraw, Meeting, MeetingApplication, Score  # noqa: F401
from app.models.deadlines import BusinessPeriod, ReminderLog, SchedulerJob, SchedulerLock, UnitUrge  # noqa: F401
from app.models.committee_vote import Attendance, BallotCast, MeetingVote, Objection, VoteResult  # noqa: F401
