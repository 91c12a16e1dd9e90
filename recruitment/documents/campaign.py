"""Paperwork of the campaign and its outcome: the recruitment announcement (公告), the public
notice of proposed hires (拟聘用人员公示), the hiring notice (聘用通知书), the contract
(聘用合同) and the result letter to candidates not hired (选聘结果告知书).

All are issued by the township (``Township.issuing_body``) under the campaign's policy
version, with masked ID numbers only. The entries of ``recruitment.paperwork`` name
these functions; each takes ``(subject, *, by)``. A document's title never carries a
person's name (it is public on the verification page).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urljoin

from django.conf import settings
from django.utils import timezone

from contracts.documents import contract_context
from contracts.kinds import CONTRACT
from core.education import Education
from core.text import pinyin_key
from paperwork.models import Document
from paperwork.selectors import document_current
from paperwork.services import document_issue
from policy.documents import EDUCATION_CN
from recruitment import kinds
from recruitment.constants import ApplicationState, CampaignKind, ObjectionDecision
from recruitment.models import Application, Campaign
from workdays.calendar import coverage_notes

SEX_CN = {"M": "男", "F": "女"}


def public_url(path: str) -> str:
    """An address of the public site as printed on paper (CUNPIN_PUBLIC_BASE_URL)."""
    return urljoin(settings.CUNPIN_PUBLIC_BASE_URL.rstrip("/") + "/", path.lstrip("/"))


def education_requirement(minimum: str) -> str:
    """高中（中专）及以上 for the seed's rule; other minimums by name."""
    if minimum in (Education.HIGH_SCHOOL, Education.SECONDARY_VOCATIONAL):
        return "高中（中专）及以上"
    return f"{EDUCATION_CN.get(minimum, minimum)}及以上"


def score_text(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def local(value: datetime.datetime | None) -> datetime.datetime | None:
    if value is None:
        return None
    return timezone.localtime(value) if timezone.is_aware(value) else value


def _issue(campaign: Campaign, *, kind: str, context: dict, subject, by, transition: str, **kw):
    township = campaign.township
    return document_issue(
        kind=kind,
        context=context,
        subject=subject,
        by=by,
        county=township.county,
        township=township,
        policy=campaign.policy,
        issuing_body=township.issuing_body,
        transition=transition,
        **kw,
    )


# The announcement -----------------------------------------------------------------------------


@dataclass(frozen=True)
class OfferLine:
    village: str
    seats: int


def announcement_context(campaign: Campaign) -> dict:
    offers = sorted(
        (OfferLine(o.village.name, o.seats) for o in campaign.offers.select_related("village")),
        key=lambda line: pinyin_key(line.village),
    )
    policy = campaign.policy
    return {
        "campaign": campaign,
        "township": campaign.township,
        "county": campaign.township.county,
        "policy": policy,
        "refill": campaign.kind == CampaignKind.REFILL,
        "offers": offers,
        "total_seats": sum(line.seats for line in offers),
        "education": education_requirement(campaign.min_education),
        "apply_url": public_url("/apply/"),
        "written_exam_at": local(campaign.written_exam_at),
        "interview_at": local(campaign.interview_at),
        "written_pass_line": score_text(campaign.written_pass_line),
        "composite_pass_line": score_text(campaign.composite_pass_line),
    }


def announcement_title(campaign: Campaign) -> str:
    """The announcement is titled after its campaign, as a second campaign of the township
    (a 补充选聘) must not read like the first: "2026年关索街道村级人口主任补充选聘" →
    "2026年关索街道村级人口主任补充选聘公告". The township's name comes first when the
    title lacks it; a title too long for a document gives the township and the kind."""
    township = campaign.township.name
    title = campaign.title.strip()
    if township not in title:
        title = f"{township}{title}"
    if not title.endswith("公告"):
        title = f"{title}公告"
    if len(title) > Document._meta.get_field("title").max_length:  # type: ignore[operator]
        word = "补聘" if campaign.kind == CampaignKind.REFILL else "公开选聘"
        title = f"{township}村级人口主任{word}公告"
    return title


def issue_announcement(campaign: Campaign, *, by) -> Document:
    """The recruitment announcement, issued when the leading-group head approves it."""
    return _issue(
        campaign,
        kind=kinds.RECRUITMENT_ANNOUNCEMENT,
        title=announcement_title(campaign),
        context=announcement_context(campaign),
        subject=campaign,
        by=by,
        transition="announce",
        supersedes=document_current(kind=kinds.RECRUITMENT_ANNOUNCEMENT, subject=campaign),
    )


# The public notice of proposed hires -------------------------------------------------------------


@dataclass(frozen=True)
class NoticeRow:
    name: str
    sex: str
    age: int
    education: str
    village: str
    written: str
    interview: str
    composite: str
    rank: int | None
    masked_id: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    moved_up: bool


def public_notice_context(campaign: Campaign) -> dict:
    proposed = list(
        campaign.applications.filter(state=ApplicationState.PROPOSED).select_related(
            "offer__village"
        )
    )
    proposed.sort(key=lambda a: (pinyin_key(a.offer.village.name), a.rank or 0, a.pk))
    first_starts = campaign.notice_starts_on
    rows = [
        NoticeRow(
            name=a.name,
            sex=SEX_CN.get(a.sex, a.sex),
            age=a.age_at_deadline,
            education=EDUCATION_CN.get(a.education, a.education),
            village=a.offer.village.name,
            written=score_text(a.written_score),
            interview=score_text(a.interview_score),
            composite=score_text(a.composite_score),
            rank=a.rank,
            masked_id=a.masked_id_number,
            starts_on=a.notice_starts_on or campaign.notice_starts_on,
            ends_on=a.notice_ends_on or campaign.notice_ends_on,
            moved_up=bool(
                first_starts and a.notice_starts_on and a.notice_starts_on > first_starts
            ),
        )
        for a in proposed
    ]
    upheld = (
        campaign.applications.filter(objections__decision=ObjectionDecision.UPHELD)
        .distinct()
        .count()
    )
    original = [r for r in rows if not r.moved_up]
    moved_up = [r for r in rows if r.moved_up]
    first_end = min((r.ends_on for r in original if r.ends_on), default=campaign.notice_ends_on)
    supplement_starts = max((r.starts_on for r in moved_up if r.starts_on), default=None)
    supplement_ends = max((r.ends_on for r in moved_up if r.ends_on), default=None)
    ends = [d for d in (first_end, supplement_ends, campaign.notice_ends_on) if d]
    notes = (
        coverage_notes(campaign.notice_starts_on, max(ends)) if campaign.notice_starts_on else []
    )
    return {
        "campaign": campaign,
        "township": campaign.township,
        "rows": rows,
        "offers": campaign.offers.select_related("village").order_by("village__name_pinyin", "pk"),
        "starts_on": campaign.notice_starts_on,
        "ends_on": first_end,
        "supplement": bool(upheld),
        "removed": upheld,
        "moved_up": moved_up,
        "supplement_starts": supplement_starts,
        "supplement_ends": supplement_ends,
        "working_days": campaign.notice_working_days,
        "weekdays_only": bool(notes),
        "written_weight": campaign.written_weight,
        "interview_weight": campaign.interview_weight,
    }


def issue_public_notice(campaign: Campaign, *, by) -> Document:
    """The public notice of proposed hires; a later version (after an upheld objection)
    supersedes the current one."""
    return _issue(
        campaign,
        kind=kinds.PUBLIC_NOTICE,
        title=f"{campaign.township.name}拟聘用村级人口主任公示",
        context=public_notice_context(campaign),
        subject=campaign,
        by=by,
        transition="publicise",
        supersedes=document_current(kind=kinds.PUBLIC_NOTICE, subject=campaign),
    )


# The hiring notice and the contract ---------------------------------------------------------------


def _contract_of(application: Application):
    from contracts.models import Contract

    contract = (
        Contract.objects.filter(application=application)
        .select_related("post__village", "policy")
        .first()
    )
    if contract is None:
        raise ValueError(
            "The hiring notice names the contract's post and dates: draft the contract first."
        )
    return contract


def hiring_notice_context(application: Application) -> dict:
    campaign = application.campaign
    contract = _contract_of(application)
    return {
        "application": application,
        "campaign": campaign,
        "township": campaign.township,
        "county": campaign.township.county,
        "village": application.offer.village,
        "contract": contract,
        "policy": contract.policy,
        "masked_id": application.masked_id_number,
    }


def issue_hiring_notice(application: Application, *, by) -> Document:
    """The hiring notice to the new director, issued when the hire is confirmed."""
    campaign = application.campaign
    return _issue(
        campaign,
        kind=kinds.HIRING_NOTICE,
        context=hiring_notice_context(application),
        subject=application,
        person=application.person,
        by=by,
        transition="hire",
        supersedes=document_current(kind=kinds.HIRING_NOTICE, subject=application),
    )


def issue_contract(contract, *, by) -> Document:
    """The contract, printed for signing when it is drafted."""
    township = contract.township
    return document_issue(
        kind=CONTRACT,
        context=contract_context(contract),
        subject=contract,
        by=by,
        county=township.county,
        township=township,
        person=contract.person,
        policy=contract.policy,
        issuing_body=township.issuing_body,
        transition="draft",
        supersedes=document_current(kind=CONTRACT, subject=contract),
    )


# The result letter ------------------------------------------------------------------------


def outcome_reasons(application: Application) -> list[str]:
    """Why a candidate was not hired, in Chinese, from the record (not from the note, which
    is written in the language of whoever made the change)."""
    campaign = application.campaign
    upheld = application.objections.filter(decision=ObjectionDecision.UPHELD).order_by("decided_at")
    if upheld.exists():
        return [f"公示期间收到的异议经调查核实成立：{o.finding}" for o in upheld]
    written, composite = application.written_score, application.composite_score
    if application.state == ApplicationState.ABSENT:
        return ["未参加笔试（缺考）。"] if written is None else ["未参加面试（缺考）。"]
    if composite is not None:
        if composite < campaign.composite_pass_line:
            return [
                f"综合成绩{score_text(composite)}分，低于综合成绩合格线"
                f"{score_text(campaign.composite_pass_line)}分。"
            ]
        return ["综合成绩达到合格线，但按成绩排名未进入本村聘用名额。"]
    if written is not None:
        if written < campaign.written_pass_line:
            return [
                f"笔试成绩{score_text(written)}分，低于笔试合格线"
                f"{score_text(campaign.written_pass_line)}分。"
            ]
        return [f"笔试成绩未进入按岗位数1∶{campaign.shortlist_ratio}比例确定的面试人选范围。"]
    return ["未被聘用。"]


def not_hired_letter_context(application: Application) -> dict:
    campaign = application.campaign
    reserve = application.state == ApplicationState.RESERVE
    return {
        "application": application,
        "campaign": campaign,
        "township": campaign.township,
        "village": application.offer.village,
        "masked_id": application.masked_id_number,
        "reserve": reserve,
        "reserve_until": application.reserve_until,
        "reasons": [] if reserve else outcome_reasons(application),
        "written": score_text(application.written_score),
        "interview": score_text(application.interview_score),
        "composite": score_text(application.composite_score),
        "has_interview": application.interview_score is not None,
    }


def issue_not_hired_letter(application: Application, *, by) -> Document:
    """The result letter to a candidate who is not hired, or who joins the reserve list."""
    campaign = application.campaign
    reserve = application.state == ApplicationState.RESERVE
    return _issue(
        campaign,
        kind=kinds.NOT_HIRED_LETTER,
        context=not_hired_letter_context(application),
        subject=application,
        person=application.person,
        by=by,
        transition="keep_in_reserve" if reserve else "reject",
        supersedes=document_current(kind=kinds.NOT_HIRED_LETTER, subject=application),
    )
