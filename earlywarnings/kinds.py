"""The documents of the early warnings: the warning notice (预警通知书) to a director, and the
county's yellow card decision (黄牌警告决定). Issued by ``earlywarnings.documents``, declared
in ``earlywarnings.paperwork``."""

from django.utils.translation import gettext_lazy as _

from paperwork.kinds import Kind, register

WARNING_NOTICE = Kind(
    "warning_notice",
    printed_title="村级人口主任预警通知书",
    label=_("Warning notice"),
    template="paperwork/earlywarnings/warning_notice.html",
    version=1,
    tells_person=True,
)

YELLOW_CARD_DECISION = Kind(
    "yellow_card_decision",
    printed_title="关于给予黄牌警告的决定",
    label=_("Yellow card decision"),
    template="paperwork/earlywarnings/yellow_card_decision.html",
    version=1,
    tells_person=True,
)

register(WARNING_NOTICE, YELLOW_CARD_DECISION)
