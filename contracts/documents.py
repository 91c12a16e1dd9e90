"""Paperwork of signing and filing a contract: the signed contract (聘用合同, printed again
with both signatures, superseding the drafted one), the county filing form (备案表) and the
induction certificate (初任培训证明). Each ``issue_*(contract, *, by)`` is called by a service,
through ``issue_for``, of ``contracts.services.signing`` right after its transition; the
paperwork table declares them (``contracts.paperwork``).

The contract is issued by the township; the filing form and the certificate by the county HR
office. Titles never carry a person's name (they are public on the verification page).
"""

from contracts.constants import InductionSource
from contracts.kinds import CONTRACT, COUNTY_FILING_FORM, INDUCTION_CERTIFICATE
from paperwork.models import Document
from paperwork.selectors import document_current
from paperwork.services import document_issue
from policy.documents import EDUCATION_CN

SEX_CN = {"M": "男", "F": "女"}

# Seed 001, 建立完善工作责任机制: the director's duties, as the scheme words them.
DUTIES: list[str] = [
    "组织育龄群众学习人口政策和优生优育、生殖健康知识。组织已婚育龄妇女参加生殖健康咨询"
    "检查及环情孕情检查服务活动，积极开展群众性文体活动，传播新型生育理念。",
    "准确采集所负责区域人口和计划生育及生殖健康信息，规范汇总上报相关数据。",
    "定期入户随访，开展咨询服务。对生育计划人员进行月访，指导科学安排怀孕时间，指导孕前"
    "注意事项，指导其做好孕期保健，指导接受出生缺陷一级预防，宣传优生知识，掌握孕情。对"
    "怀孕人员进行月访，协助接生单位医疗人员或乡级计生服务站技术服务人员对产后人员完成随访，"
    "倡导母乳喂养，指导产妇的饮食起居，指导落实以长效避孕方法为主的避孕节育措施。对落实"
    "避孕节育术后人员进行随访，及时掌握术后反应情况。对使用避孕药具的，每月随访一次。",
    "加强流动人口管理和服务工作，及时掌握流出人员婚、孕、育、查体等情况。及时掌握流入人员"
    "婚、孕、育情况，与常住人口同管理、同服务。",
]

# Seed 001, 建立完善分流辞退机制 (DESIGN.md: kept verbatim).
DISMISSAL_GROUNDS: list[str] = [
    "工作责任心不强，人口计生工作连续2年落后的",
    "连续两年出现违法生育或一年内出现两例违法生育的",
    "在工作中出现重大失误的",
    "本人违反计划生育政策的",
    "提供虚假人口计生工作信息的",
    "计划生育台帐管理混乱的",
    "连续两年未参加知识更新培训的",
    "利用职权包庇子女、亲属超生的",
    "有贪污、受贿等违法违纪行为的",
]

# Seed 001: 变换工作岗位或身体原因不再适合继续担任、超过续聘年龄或因个人原因提出辞职的.
TERMINATION_GROUNDS: list[str] = [
    "变换工作岗位不再适合继续担任村级人口主任职务的",
    "因身体原因不再适合继续担任村级人口主任职务的",
    "超过续聘年龄的",
    "因个人原因提出辞职的",
]

CN_NUMERALS = "零一二三四五六七八九十"


def cn_ordinal(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二 (for numbered clauses up to 99)."""
    if n <= 10:
        return CN_NUMERALS[n]
    tens, ones = divmod(n, 10)
    return f"{CN_NUMERALS[tens] if tens > 1 else ''}十{CN_NUMERALS[ones] if ones else ''}"


def numbered(items: list) -> list[tuple[str, object]]:
    """(一, first), (二, second), … for clauses printed as （一）…"""
    return [(cn_ordinal(i), item) for i, item in enumerate(items, start=1)]


def contract_context(contract) -> dict:
    return {
        **_person_context(contract),
        "masked_phone": contract.person.masked_phone,
        "duties": numbered(DUTIES),
        "dismissal_grounds": numbered(DISMISSAL_GROUNDS),
        "termination_grounds": numbered(TERMINATION_GROUNDS),
    }


# How an induction was recorded, as the certificate says it.
INDUCTION_SOURCE_CN = {
    InductionSource.RECORDED: "县人口计生部门登记",
    InductionSource.TRAINING: "培训签到记录",
    InductionSource.IMPORTED: "历史资料导入",
    InductionSource.NOT_REQUIRED: "续聘，不再参加",
}


def _person_context(contract) -> dict:
    person = contract.person
    township = contract.township
    return {
        "contract": contract,
        "person": person,
        "sex": SEX_CN.get(person.sex, person.sex),
        "education": EDUCATION_CN.get(person.education, person.education),
        "masked_id": person.masked_id_number,
        "township": township,
        "county": township.county,
        "village": contract.post.village,
        "post": contract.post,
        "policy": contract.policy,
    }


def filing_context(contract) -> dict:
    return {
        **_person_context(contract),
        "induction_not_required": contract.induction_source == InductionSource.NOT_REQUIRED,
    }


def induction_context(contract) -> dict:
    return {
        **_person_context(contract),
        "source": INDUCTION_SOURCE_CN.get(contract.induction_source, ""),
    }


def issue_in_township(
    *,
    kind,
    context: dict,
    subject,
    by,
    township,
    person,
    policy,
    transition: str,
    issuing_body: str = "",
    supersede: bool = False,
) -> Document:
    """Issue a document of the term about ``subject`` in ``township``: issued by the
    township unless ``issuing_body`` says otherwise; with ``supersede``, the new version
    replaces the current document of its kind about the same subject."""
    return document_issue(
        kind=kind,
        context=context,
        subject=subject,
        by=by,
        county=township.county,
        township=township,
        person=person,
        policy=policy,
        issuing_body=issuing_body or township.issuing_body,
        transition=transition,
        supersedes=document_current(kind=kind, subject=subject) if supersede else None,
    )


def _county_issue(contract, *, kind, context: dict, by, transition: str) -> Document:
    return issue_in_township(
        kind=kind,
        context=context,
        subject=contract,
        by=by,
        township=contract.township,
        person=contract.person,
        policy=contract.policy,
        issuing_body=contract.township.county.hr_office,
        transition=transition,
        supersede=True,
    )


def issue_signed_contract(contract, *, by) -> Document:
    """The contract with both signatures and their dates; supersedes the drafted version."""
    return issue_in_township(
        kind=CONTRACT,
        context=contract_context(contract),
        subject=contract,
        by=by,
        township=contract.township,
        person=contract.person,
        policy=contract.policy,
        transition="sign",
        supersede=True,
    )


def issue_filing_form(contract, *, by) -> Document:
    """The county filing form, issued when the county HR office files the signed contract."""
    return _county_issue(
        contract,
        kind=COUNTY_FILING_FORM,
        context=filing_context(contract),
        by=by,
        transition="file",
    )


def issue_induction_certificate(contract, *, by) -> Document:
    """The induction certificate, issued when the induction training is recorded."""
    return _county_issue(
        contract,
        kind=INDUCTION_CERTIFICATE,
        context=induction_context(contract),
        by=by,
        transition="record_induction",
    )
