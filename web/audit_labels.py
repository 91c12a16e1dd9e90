"""How the flows' changes read in their records' audit trails.

Taking, giving back and completing a task, returning it to the township's pool, handing an
overdue task to the county and back, and cancelling the process (``workflows.services``) are
recorded on the flow's business record (a campaign, a contract, a vacancy, …). The models
cannot name the flows' steps (the flows are a layer above them), so the staff site registers
them with ``audit.display`` when it starts.
"""

import functools

from django.utils.translation import gettext_lazy as _
from viewflow.workflow.status import STATUS

from accounts.backends import COUNTY_HR_PERMISSION, HEAD_PREFIX, TOWNSHIP_OFFICE_PERMISSION
from appraisal.models import AnnualAppraisal, RewardSettlement
from assessment.models import AssessmentMonth
from audit.display import AuditValue, Ref, register
from contracts.models import Contract, DismissalCase, RenewalReview, Resignation, Vacancy
from recruitment.models import Campaign
from workflows.flows import CampaignFlow
from workflows.flows_appraisal import AppraisalFlow, SettlementFlow
from workflows.flows_contract import ContractFlow
from workflows.flows_endings import DismissalFlow, ResignationFlow
from workflows.flows_month import MonthFlow
from workflows.flows_renewal import RenewalFlow
from workflows.flows_vacancy import VacancyFlow

COUNTY_PREFIX = COUNTY_HR_PERMISSION.split("{", 1)[0]


def task_title(name, flow_class=CampaignFlow) -> str:
    node = getattr(flow_class, str(name), None)
    title = getattr(node, "task_title", "") if node is not None else ""
    return str(title or name)


def task_status(status) -> str:
    return str(dict(STATUS.choices).get(status, status))


def task_queue(permission) -> str:
    """Whose queue a task waits in, by the permission it needs."""
    text = str(permission or "")
    if text.startswith(COUNTY_PREFIX):
        return str(_("the county's HR officers"))
    if text.startswith(HEAD_PREFIX):
        return str(_("the head of the township's recruitment leading group"))
    if text.startswith(TOWNSHIP_OFFICE_PERMISSION.split("{", 1)[0]):
        return str(_("the township's office staff"))
    return str(_("the township's recruitment committee"))


# Each business record and the flow whose tasks are recorded on it
# (``workflows.services.subject_of``).
FLOWS_BY_SUBJECT = [
    (Campaign, CampaignFlow),
    (Contract, ContractFlow),
    (Vacancy, VacancyFlow),
    (Resignation, ResignationFlow),
    (RenewalReview, RenewalFlow),
    (DismissalCase, DismissalFlow),
    (AssessmentMonth, MonthFlow),
    (AnnualAppraisal, AppraisalFlow),
    (RewardSettlement, SettlementFlow),
]


def register_flow_labels() -> None:
    for model, flow_class in FLOWS_BY_SUBJECT:
        transitions = {
            "escalate": _("Overdue task handed to the county"),
            "return_to_township": _("Task handed back to the township"),
            "task_assign": _("Take a task"),
            "task_unassign": _("Give a task back"),
            "task_complete": _("Complete a task"),
            "task_release": _("Task returned to the township's pool"),
        }
        if model is Campaign:
            transitions["process_cancel"] = _("Cancel the campaign's process")
        register(
            model,
            transitions=transitions,
            values={
                "task": AuditValue(
                    _("task"), show=functools.partial(task_title, flow_class=flow_class)
                ),
                "task_id": AuditValue(hidden=True),
                "owner_id": AuditValue(_("assigned to"), show=lambda pk: Ref("accounts.user", pk)),
                "owner_permission": AuditValue(_("waiting for"), show=task_queue),
                "status": AuditValue(_("task status"), show=task_status),
            },
        )
