"""Paperwork addressed to an applicant: the registration form (报名表) and the eligibility
result (资格审查结果通知书). Both are about the application (``person`` stays empty until a
hire creates the person record), issued by the township and printed with masked ID and phone
numbers only. The entries of ``recruitment.paperwork`` name these functions.
"""

import base64
from dataclasses import dataclass
from urllib.parse import urljoin

from django.conf import settings
from django.urls import reverse

from paperwork.models import Document
from paperwork.selectors import document_current
from paperwork.services import document_issue
from policy.documents import EDUCATION_CN
from recruitment import kinds
from recruitment.constants import ApplicationState, AttachmentKind, EligibilityRule, WaiverDecision
from recruitment.models import Application

SEX_CN = {"M": "男", "F": "女"}
RULE_CN: dict[str, str] = {
    EligibilityRule.AGE: "年龄（报名截止日周岁）",
    EligibilityRule.EDUCATION: "学历",
    EligibilityRule.ID_NUMBER: "身份证号码",
    EligibilityRule.HOUSEHOLD: "户籍",
    EligibilityRule.DOCUMENTS: "证书材料齐全、真实",
}
ATTACHMENT_CN: dict[str, str] = {
    AttachmentKind.PHOTO: "照片",
    AttachmentKind.EDUCATION_CERTIFICATE: "学历证书",
    AttachmentKind.ID_CARD: "身份证",
    AttachmentKind.HOUSEHOLD_REGISTER: "户口簿",
    AttachmentKind.OTHER: "其他材料",
}


def public_url(name: str) -> str:
    """An address of the public applicant pages as printed on paper (the same base as the
    verification address: CUNPIN_PUBLIC_BASE_URL)."""
    base = settings.CUNPIN_PUBLIC_BASE_URL.rstrip("/") + "/"
    return urljoin(base, reverse(name).lstrip("/"))


def _photo_data_uri(application: Application) -> str:
    photo = application.attachments.filter(kind=AttachmentKind.PHOTO).first()
    if photo is None:
        return ""
    with photo.file.open("rb") as handle:
        content = handle.read()
    return f"data:{photo.content_type};base64,{base64.b64encode(content).decode('ascii')}"


def registration_form_context(application: Application) -> dict:
    campaign = application.campaign
    counts: dict[str, int] = {}
    for kind in application.attachments.values_list("kind", flat=True):
        counts[kind] = counts.get(kind, 0) + 1
    materials = "；".join(
        f"{ATTACHMENT_CN.get(kind, kind)}{count}份" for kind, count in counts.items()
    )
    return {
        "application": application,
        "campaign": campaign,
        "township": campaign.township,
        "offer": application.offer,
        "village": application.offer.village,
        "sex": SEX_CN.get(application.sex, application.sex),
        "education": EDUCATION_CN.get(application.education, application.education),
        "photo": _photo_data_uri(application),
        "materials": materials or "无",
        "status_url": public_url("apply:lookup"),
    }


def issue_registration_form(application: Application, *, by) -> Document:
    """The registration form, issued when the application is submitted."""
    campaign = application.campaign
    return document_issue(
        kind=kinds.REGISTRATION_FORM,
        context=registration_form_context(application),
        subject=application,
        by=by,
        county=campaign.township.county,
        township=campaign.township,
        policy=campaign.policy,
        issuing_body=campaign.township.issuing_body,
        transition="submit",
    )


@dataclass(frozen=True)
class ResultRow:
    rule: str
    label: str
    passed: bool
    waived: bool
    reason: str
    waived_on: object = None


def eligibility_result_context(application: Application) -> dict:
    campaign = application.campaign
    approved = {
        w.rule: w
        for w in application.waivers.filter(decision=WaiverDecision.APPROVED).order_by("decided_at")
    }
    by_rule = {c["rule"]: c for c in application.checks}
    rows = []
    for rule in EligibilityRule.values:
        check = by_rule.get(rule, {"passed": True, "detail": ""})
        waiver = approved.get(rule)
        rows.append(
            ResultRow(
                rule=rule,
                label=RULE_CN[rule],
                passed=bool(check.get("passed")),
                waived=not check.get("passed") and waiver is not None,
                reason="" if check.get("passed") else str(check.get("detail") or ""),
                waived_on=waiver.decided_at if waiver else None,
            )
        )
    eligible = application.state != ApplicationState.INELIGIBLE
    return {
        "application": application,
        "campaign": campaign,
        "township": campaign.township,
        "county": campaign.township.county,
        "village": application.offer.village,
        "eligible": eligible,
        "rows": rows,
        "failed": [r for r in rows if not r.passed],
        "waived": [r for r in rows if r.waived],
        "waivers": [
            {"label": RULE_CN[w.rule], "note": w.decision_note, "decided_on": w.decided_at}
            for w in approved.values()
            if not by_rule.get(w.rule, {}).get("passed", True)
        ],
        "status_url": public_url("apply:lookup"),
    }


def issue_eligibility_result(application: Application, *, by) -> Document:
    """The eligibility result, issued by the review and again after an approved waiver; a new
    one supersedes the application's current result."""
    campaign = application.campaign
    context = eligibility_result_context(application)
    if context["waived"] and context["eligible"]:
        transition = "waive"
    elif context["eligible"]:
        transition = "mark_eligible"
    else:
        transition = "mark_ineligible"
    return document_issue(
        kind=kinds.ELIGIBILITY_RESULT,
        context=context,
        subject=application,
        by=by,
        county=campaign.township.county,
        township=campaign.township,
        policy=campaign.policy,
        issuing_body=campaign.township.issuing_body,
        transition=transition,
        supersedes=document_current(kind=kinds.ELIGIBILITY_RESULT, subject=application),
    )
