"""Every write to an action plan, by subject: `plan` (recommendations and actions), `updates`
(agencies' updates and requests for them), `escalations` and `tracker` (importing a tracker).
Each function is atomic, locks the row it changes, checks the guard in `workflow.py`, and
records who made the change and why in the object's history. Callers use them as
`services.<name>`, listed here; each is defined in its module."""

from recommendations.services.escalations import (
    LETTER_TASK,
    escalation_decide,
    escalation_letter_write,
    escalation_raise,
    escalation_record_outcome,
    escalations_propose,
)
from recommendations.services.national import (
    REPLY_FIELDS,
    national_answers_record,
    national_reply_record,
)
from recommendations.services.plan import (
    ACTION_FIELDS,
    RECOMMENDATION_FIELDS,
    action_save,
    recommendation_save,
)
from recommendations.services.tracker import (
    IMPORT_TASK,
    tracker_import_confirm,
    tracker_import_read,
    tracker_import_run,
    tracker_write,
)
from recommendations.services.updates import (
    action_update_accept,
    action_update_return,
    action_update_submit,
    update_request_send,
)

__all__ = [
    "ACTION_FIELDS",
    "IMPORT_TASK",
    "LETTER_TASK",
    "RECOMMENDATION_FIELDS",
    "REPLY_FIELDS",
    "action_save",
    "action_update_accept",
    "action_update_return",
    "action_update_submit",
    "escalation_decide",
    "escalation_letter_write",
    "escalation_raise",
    "escalation_record_outcome",
    "escalations_propose",
    "national_answers_record",
    "national_reply_record",
    "recommendation_save",
    "tracker_import_confirm",
    "tracker_import_read",
    "tracker_import_run",
    "tracker_write",
    "update_request_send",
]
