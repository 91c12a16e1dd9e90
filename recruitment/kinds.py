"""The documents of a recruitment campaign (``recruitment.documents``); which transition
issues which is in ``recruitment.paperwork``."""

from django.utils.translation import gettext_lazy as _

from paperwork.kinds import Kind, register

RECRUITMENT_ANNOUNCEMENT = Kind(
    "recruitment_announcement",
    printed_title="村级人口主任公开选聘公告",
    label=_("Recruitment announcement"),
    template="paperwork/recruitment/announcement.html",
    version=2,
)
REGISTRATION_FORM = Kind(
    "registration_form",
    printed_title="村级人口主任选聘报名表",
    label=_("Registration form"),
    template="paperwork/recruitment/registration_form.html",
    version=3,
)
ELIGIBILITY_RESULT = Kind(
    "eligibility_result",
    printed_title="资格审查结果通知书",
    label=_("Eligibility result"),
    template="paperwork/recruitment/eligibility_result.html",
    version=2,
)
ADMISSION_TICKET = Kind(
    "admission_ticket",
    printed_title="准考证",
    label=_("Admission ticket"),
    template="paperwork/recruitment/admission_ticket.html",
    version=2,
)
SCORE_RANKING_LIST = Kind(
    "score_ranking_list",
    printed_title="考试成绩及排名表",
    label=_("Score and ranking list"),
    template="paperwork/recruitment/score_ranking_list.html",
    version=2,
)
PUBLIC_NOTICE = Kind(
    "public_notice",
    printed_title="拟聘用村级人口主任公示",
    label=_("Public notice of proposed hires"),
    template="paperwork/recruitment/public_notice.html",
    version=2,
)
HIRING_NOTICE = Kind(
    "hiring_notice",
    printed_title="聘用通知书",
    label=_("Hiring notice"),
    template="paperwork/recruitment/hiring_notice.html",
    version=2,
    tells_person=True,
)
NOT_HIRED_LETTER = Kind(
    "not_hired_letter",
    printed_title="选聘结果告知书",
    label=_("Letter to candidates not hired"),
    template="paperwork/recruitment/not_hired_letter.html",
    version=2,
)

register(
    RECRUITMENT_ANNOUNCEMENT,
    REGISTRATION_FORM,
    ELIGIBILITY_RESULT,
    ADMISSION_TICKET,
    SCORE_RANKING_LIST,
    PUBLIC_NOTICE,
    HIRING_NOTICE,
    NOT_HIRED_LETTER,
)
