"""Directors' contracts (聘用合同) and their term."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField

from contracts.constants import ContractState
from core.scoping import ScopePaths


class Contract(ConcurrentTransitionMixin, models.Model):
    """A director's contract for one post and one term.

    States:
    - drafted: created when a hire is confirmed; printed for signing.
    - signed: signed by both parties; the post becomes occupied.
    - active: in force after induction training and county filing.
    - expiring: the renewal review is open before the end date.
    - renewed / expired / terminated / dismissed: how it ended.

    The recruitment issue creates drafted contracts; the contract issue adds the transitions
    that follow.
    """

    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("director"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    post = models.ForeignKey(
        "organisation.Post",
        verbose_name=_("post"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    township = models.ForeignKey(
        "organisation.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    application = models.OneToOneField(
        "recruitment.Application",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contract",
    )
    policy = models.ForeignKey(
        "policy.Policy",
        verbose_name=_("policy version"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    state = FSMField(
        _("state"),
        max_length=16,
        choices=ContractState.choices,
        default=ContractState.DRAFTED,
        protected=True,
    )
    term_years = models.PositiveSmallIntegerField(_("term (years)"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    monthly_pay = models.DecimalField(_("monthly pay (yuan)"), max_digits=9, decimal_places=2)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    scope_paths = ScopePaths(
        county="township__county", township="township", village="post__village", self="person"
    )
    # How its audit trail reads (audit.display).
    transition_labels = {"draft": _("Draft the contract")}
    audit_name_related = ("person",)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-start_date", "-id"]

    def __str__(self) -> str:
        return f"{self.person.name} {self.start_date:%Y-%m-%d}–{self.end_date:%Y-%m-%d}"
