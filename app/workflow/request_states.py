"""States of the holder's requests to the bureau (历史职称数据登记, 证书补办/换发), as data beside the
application's and the certificate's: submitted → approved | rejected, decided by the bureau of the
request's region. The PDFs each request needs are listed here too."""
from __future__ import annotations

from enum import Enum

from flask_babel import lazy_gettext as _l


class RequestStatus(str, Enum):
    SUBMITTED = "submitted"  # 待审核
    APPROVED = "approved"    # 审核通过
    REJECTED = "rejected"    # 审核不通过


REQUEST_LABELS = {
    RequestStatus.SUBMITTED.value: _l("Waiting for review"),
    RequestStatus.APPROVED.value: _l("Approved"),
    RequestStatus.REJECTED.value: _l("Not approved"),
}

# (action, from, to): only the bureau of the request's region takes them
REQUEST_TRANSITIONS = (
    ("approve", RequestStatus.SUBMITTED, RequestStatus.APPROVED),
    ("reject", RequestStatus.SUBMITTED, RequestStatus.REJECTED),
)


def request_target(action: str, source: str) -> RequestStatus | None:
    """The status `action` leads to from `source`, or None when it is not open."""
    for name, start, target in REQUEST_TRANSITIONS:
        if name == action and start.value == source:
            return target
    return None


# 历史职称数据登记: 申报表, 老证书, 批文; at least two of them (seed 004 ch. 4)
HISTORICAL_MATERIALS = {"form": _l("Application form"), "old_certificate": _l("Old certificate"),
                        "approval": _l("Approval document")}
HISTORICAL_MIN_MATERIALS = 2
# 证书补办（换发）: all three (seed 004 ch. 5)
REISSUE_MATERIALS = {"original": _l("Original application form / old certificate / approval document"),
                     "void_notice": _l("Newspaper notice voiding the certificate"),
                     "reissue_form": _l("Certificate reissue (replacement) application form")}

REVIEW_KINDS = {"review": _l("Title review"), "initial": _l("Initial title")}
REISSUE_KINDS = {"reissue": _l("Reissue"), "replace": _l("Replacement")}
