"""The deadline fields of a period form (committee and business periods): labels and the checks that
单位审核截止 and 退回修改截止 come no earlier than 申报截止."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

PERIOD_LABELS = {"unit_review_ends_on": _l("Unit review ends on"),
                 "resubmit_ends_on": _l("Resubmission ends on")}


class NotBeforeEnd:
    """A later deadline may be empty (none) but never before 申报截止."""

    def __call__(self, form, field):
        ends = form.ends_on.data
        if ends and field.data and field.data < ends:
            raise ValidationError(_l("This deadline may not be earlier than the end of the application period"))


PERIOD_VALIDATORS = {"unit_review_ends_on": [NotBeforeEnd()], "resubmit_ends_on": [NotBeforeEnd()]}
