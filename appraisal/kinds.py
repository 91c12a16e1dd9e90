"""The documents of the annual appraisal and its rewards (``appraisal.documents``)."""

from django.utils.translation import gettext_lazy as _

from paperwork.kinds import Kind, register

APPRAISAL_FORM = Kind(
    "annual_appraisal_form",
    printed_title="村级人口主任年度考核登记表",
    label=_("Annual appraisal form"),
    template="paperwork/appraisal/appraisal_form.html",
    version=1,
    tells_person=True,
)
COMMENDATION = Kind(
    "commendation",
    printed_title="表彰决定",
    label=_("Commendation"),
    template="paperwork/appraisal/commendation.html",
    version=1,
    tells_person=True,
)
LONG_SERVICE_APPROVAL = Kind(
    "long_service_approval",
    printed_title="村级人口主任一次性奖励审批表",
    label=_("Long-service reward approval"),
    template="paperwork/appraisal/long_service_approval.html",
    version=1,
    tells_person=True,
)
RECOMMENDATION_LETTER = Kind(
    "recommendation_letter",
    printed_title="推荐参加事业单位招考推荐函",
    label=_("Recommendation letter"),
    template="paperwork/appraisal/recommendation_letter.html",
    version=1,
    tells_person=True,
)
PENSION_STATEMENT = Kind(
    "pension_statement",
    printed_title="村级人口主任城乡居民养老保险费缴纳明细表",
    label=_("Pension statement"),
    template="paperwork/appraisal/pension_statement.html",
    version=1,
)

register(
    APPRAISAL_FORM, COMMENDATION, LONG_SERVICE_APPROVAL, RECOMMENDATION_LETTER, PENSION_STATEMENT
)
