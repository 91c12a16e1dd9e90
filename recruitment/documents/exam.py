"""Paperwork of the exam: the admission ticket (准考证) of each candidate and the score and
ranking list (考试成绩及排名表) of the campaign. Issuers follow ``recruitment.paperwork``:
``issue_x(subject, *, by) -> Document``, called by the services through ``issue_for``.
"""

import base64

from paperwork.models import Document
from paperwork.selectors import document_current
from paperwork.services import document_issue
from recruitment import kinds
from recruitment.constants import AttachmentKind
from recruitment.models import Application, Campaign
from recruitment.selectors_exam import campaign_standings

PHOTO_TYPES = {"image/jpeg", "image/png"}
PHOTO_MAX_BYTES = 2 * 1024 * 1024

# Read to every candidate on the ticket (考生须知).
CANDIDATE_RULES = [
    "考生须凭本准考证和本人有效居民身份证参加考试，两证缺一不得入场。",
    "考生应于开考前30分钟到达考点，凭证进入考场，按准考证上的考场和座位号就座，"
    "并将准考证和身份证放在桌面右上角以备查验。",
    "开考15分钟后不得进入考场；开考30分钟内不得交卷离场。",
    "除黑色字迹的钢笔、签字笔和2B铅笔、橡皮外，不得携带任何书籍、资料和手机等通信工具"
    "进入考场；已带入的须关机并放在指定位置。",
    "考试结束铃响后立即停止答题，待监考人员收齐试卷后方可离开。",
    "面试时间、地点及入围名单另行通知；请妥善保管本准考证，面试时须再次出示。",
    "考生应自觉遵守考试纪律，对违纪、作弊者按有关规定处理。",
]


def photo_data_uri(application: Application) -> str:
    """The applicant's photo as a data: URI (the renderer fetches only data: and file:
    URLs), or "" when there is no usable photo."""
    photo = (
        application.attachments.filter(kind=AttachmentKind.PHOTO, content_type__in=PHOTO_TYPES)
        .order_by("-uploaded_at", "-id")
        .first()
    )
    if photo is None or photo.size > PHOTO_MAX_BYTES:
        return ""
    try:
        with photo.file.open("rb") as handle:
            content = handle.read(PHOTO_MAX_BYTES + 1)
    except (OSError, ValueError):
        return ""
    if len(content) > PHOTO_MAX_BYTES:
        return ""
    return f"data:{photo.content_type};base64,{base64.b64encode(content).decode('ascii')}"


def admission_ticket_context(application: Application) -> dict:
    campaign = application.campaign
    return {
        "application": application,
        "campaign": campaign,
        "township": campaign.township,
        "village": application.offer.village,
        "masked_id": application.masked_id_number,
        "sex": {"M": "男", "F": "女"}.get(application.sex, ""),
        "photo": photo_data_uri(application),
        "rules": CANDIDATE_RULES,
    }


def issue_admission_ticket(application: Application, *, by) -> Document:
    """The candidate's admission ticket: admission number, room, seat, exam time and venue
    and the rules for candidates; a new ticket supersedes the previous one."""
    campaign = application.campaign
    township = campaign.township
    return document_issue(
        kind=kinds.ADMISSION_TICKET,
        context=admission_ticket_context(application),
        subject=application,
        by=by,
        county=township.county,
        township=township,
        person=None,
        policy=campaign.policy,
        issuing_body=township.issuing_body,
        transition="admit",
        supersedes=document_current(kind=kinds.ADMISSION_TICKET, subject=application),
    )


def score_ranking_list_context(campaign: Campaign) -> dict:
    standings = campaign_standings(campaign)
    return {
        "campaign": campaign,
        "township": campaign.township,
        "standings": standings,
        "candidates": sum(len(s.rows) for s in standings),
        "seats": sum(s.offer.seats for s in standings),
    }


def issue_score_ranking_list(campaign: Campaign, *, by) -> Document:
    """The campaign's scores and ranks, one table per village: admission number, name,
    masked ID number, written, interview and composite score, rank and result. A new list
    supersedes the previous one."""
    township = campaign.township
    return document_issue(
        kind=kinds.SCORE_RANKING_LIST,
        title=f"{campaign.title[:180]}考试成绩及排名表",
        context=score_ranking_list_context(campaign),
        subject=campaign,
        by=by,
        county=township.county,
        township=township,
        policy=campaign.policy,
        issuing_body=township.issuing_body,
        transition="confirm_ranking",
        supersedes=document_current(kind=kinds.SCORE_RANKING_LIST, subject=campaign),
    )
