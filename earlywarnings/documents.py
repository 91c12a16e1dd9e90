"""Paperwork of the early warnings: the warning notice (预警通知书), issued by the township to the
director when a rule opens a warning, and the yellow card decision (关于给予黄牌警告的决定),
issued by the county HR office. Both print the masked ID number only; the facts are written in
Chinese here, whatever the language of whoever (or whichever sweep) opened the warning."""

from decimal import Decimal

from contracts.documents import issue_in_township
from earlywarnings.constants import WarningRule
from earlywarnings.kinds import WARNING_NOTICE, YELLOW_CARD_DECISION
from earlywarnings.models import Warning, YellowCard
from paperwork.models import Document
from paperwork.templatetags.paperwork import cn_date

# What the director is asked to do, by rule (seed 000: 预警 then 警告 then 调整).
REQUEST_CN: dict[str, str] = {
    WarningRule.LOW_SCORE: "请认真查找原因，制定整改措施，切实提高工作质量。",
    WarningRule.BOTTOM_RANKED: "请认真查找差距，制定整改措施，力争在下月考核中改变落后状况。",
    WarningRule.MISSED_REFRESHER: (
        "请按县人口计生部门的安排参加知识更新培训。连续两年未参加知识更新培训的，按规定予以辞退。"
    ),
    WarningRule.UNSIGNED_AGREEMENT: "请尽快与乡镇人民政府、村民委员会签订年度目标管理责任书。",
}


def points(value: Decimal | str | None) -> str:
    return "" if value is None else f"{Decimal(str(value)):.2f}"


def facts_cn(warning: Warning) -> list[str]:
    """The facts the rule found, one sentence each, as the notice prints them."""
    if warning.rule == WarningRule.LOW_SCORE:
        year, month = (int(x) for x in warning.period.split("-"))
        return [
            f"你{year}年{month}月的月度考核得分为{points(warning.score)}分，"
            f"低于{points(warning.pass_line)}分的预警线。"
        ]
    if warning.rule == WarningRule.BOTTOM_RANKED:
        lines = [
            f"你连续{len(warning.months)}个月的月度考核排序均列全乡镇后{warning.bottom_count}名"
            "（并列者一并计入）："
        ]
        lines += [f"{y}年{m}月，{points(s)}分，排第{r}名；" for y, m, s, r in warning.months]
        return lines
    if warning.rule == WarningRule.MISSED_REFRESHER:
        days = warning.details.get("days", "0")
        required = warning.details.get("min_days", "")
        return [
            f"你{warning.period}年度参加县级知识更新培训{days}天，"
            f"未达到每年不少于{required}天的要求。"
        ]
    due = cn_date(warning.due_date) if warning.due_date else ""
    return [f"你{warning.period}年度目标管理责任书至{due}仍未签订。"]


def warning_context(warning: Warning) -> dict:
    contract = warning.contract
    township = warning.township
    return {
        "warning": warning,
        "person": warning.person,
        "masked_id": warning.person.masked_id_number,
        "township": township,
        "county": township.county,
        "village": contract.post.village,
        "rule": warning.get_rule_display(),
        "facts": facts_cn(warning),
        "request": REQUEST_CN.get(warning.rule, ""),
    }


def issue_warning_notice(warning: Warning, *, by) -> Document:
    """The warning notice, issued by the township when a rule opens a warning."""
    return issue_in_township(
        kind=WARNING_NOTICE,
        context=warning_context(warning),
        subject=warning,
        by=by,
        township=warning.township,
        person=warning.person,
        policy=warning.policy,
        transition="open",
    )


def yellow_card_context(card: YellowCard) -> dict:
    return {
        "card": card,
        "county": card.county,
        "township": card.concerns,
        "person": card.person,
        "masked_id": card.person.masked_id_number if card.person is not None else "",
        "village": card.contract.post.village if card.contract is not None else None,
    }


def issue_yellow_card_decision(card: YellowCard, *, by) -> Document:
    """The county's decision to give the yellow card, issued when it is decided."""
    return issue_in_township(
        kind=YELLOW_CARD_DECISION,
        context=yellow_card_context(card),
        subject=card,
        by=by,
        township=card.concerns,
        person=card.person,
        policy=card.policy,
        transition="decide",
        issuing_body=card.county.hr_office,
    )
