"""The annual target-responsibility agreement (年度计划生育工作目标管理责任书): seed 001,
队伍管理机制; seed 003, 目标管理责任制.

The county sets a template per year (``AgreementTemplate``: the target lines, each with its
unit, its default value and how it is assessed). Each year the township office drafts one
agreement per director in post (``TargetAgreement``), with the template's lines and the
village's values (the township adjusts them before signing: 因村制宜, not 一刀切), then
records the signatures of the three parties: the township office, the village committee and
the director. An agreement unsigned after the policy's date is overdue
(``agreements.selectors.overdue``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from agreements.constants import AgreementState
from core.fields import user_field
from core.scoping import ScopePaths


class AgreementTemplate(models.Model):
    """The county's agreement for one year: a title and its target lines.

    Versioned: a county may make a new version of a year's template (the drafting uses the
    highest), and a version is locked once an agreement uses it; the agreements keep the
    lines and values they were drafted with.
    """

    county = models.ForeignKey(
        "organisation.County",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="agreement_templates",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=200)
    created_by = user_field(_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    scope_paths = ScopePaths(county="county")
    audit_name_related = ("county",)

    class Meta:
        verbose_name = _("agreement template")
        verbose_name_plural = _("agreement templates")
        ordering = ["county", "-year", "-version"]
        constraints = [
            models.UniqueConstraint(
                "county",
                "year",
                "version",
                name="agreement_template_unique_version",
                violation_error_message=_("This year already has a template of this version."),
            )
        ]

    def __str__(self) -> str:
        return _("%(year)s agreement template, version %(version)s") % {
            "year": self.year,
            "version": self.version,
        }

    @property
    def is_used(self) -> bool:
        return self.agreements.exists()


class TemplateLine(models.Model):
    """One target of a template: its name, unit, the value each village starts from and how
    it is assessed."""

    template = models.ForeignKey(
        AgreementTemplate,
        verbose_name=_("template"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("target"), max_length=100)
    unit = models.CharField(_("unit"), max_length=16, blank=True)
    default_value = models.DecimalField(_("default value"), max_digits=9, decimal_places=2)
    assessment = models.CharField(_("how it is assessed"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("target line")
        verbose_name_plural = _("target lines")
        ordering = ["template", "order"]
        constraints = [
            models.UniqueConstraint("template", "order", name="agreement_line_unique_order"),
            models.UniqueConstraint("template", "name", name="agreement_line_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class TargetAgreement(ConcurrentTransitionMixin, models.Model):
    """One director's agreement for one year, between the township office, the village
    committee and the director.

    States:
    - drafted: drafted from the county's template with the village's values, printed for
      signing; the township may still adjust the values (each change prints it again).
    - signed: the three parties signed, each on a recorded date; printed again with the
      signatures, superseding the draft.

    ``targets`` holds the lines as drafted, with this village's values:
    ``[{"name", "unit", "default", "value", "assessment"}]`` (numbers as strings, two
    decimals). The database allows one agreement per director and year.
    """

    template = models.ForeignKey(
        AgreementTemplate,
        verbose_name=_("template"),
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    township = models.ForeignKey(
        "organisation.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        related_name="target_agreements",
    )
    village = models.ForeignKey(
        "organisation.Village",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="target_agreements",
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("director"),
        on_delete=models.PROTECT,
        related_name="target_agreements",
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        on_delete=models.PROTECT,
        related_name="target_agreements",
    )
    policy = models.ForeignKey(
        "policy.Policy",
        verbose_name=_("policy version"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    targets = models.JSONField(_("targets"), default=list)
    state = FSMField(
        _("state"),
        max_length=16,
        choices=AgreementState.choices,
        default=AgreementState.DRAFTED,
        protected=True,
    )
    drafted_on = models.DateField(_("drafted on"))
    drafted_by = user_field(_("drafted by"))
    township_signatory = models.CharField(
        _("signed for the township office by"), max_length=64, blank=True
    )
    township_signed_on = models.DateField(_("township office signed on"), null=True, blank=True)
    village_signatory = models.CharField(
        _("signed for the village committee by"), max_length=64, blank=True
    )
    village_signed_on = models.DateField(_("village committee signed on"), null=True, blank=True)
    director_signed_on = models.DateField(_("director signed on"), null=True, blank=True)
    recorded_by = user_field(_("signatures recorded by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    scope_paths = ScopePaths(
        county="township__county", township="township", village="village", self="person"
    )
    transition_labels = {
        "draft": _("Draft the target-responsibility agreement"),
        "set_values": _("Adjust the agreement's target values"),
        "sign": _("Sign the target-responsibility agreement"),
    }
    audit_name_related = ("person",)

    class Meta:
        verbose_name = _("target-responsibility agreement")
        verbose_name_plural = _("target-responsibility agreements")
        ordering = ["-year", "township", "village", "id"]
        default_permissions = ()
        permissions = [
            ("view_agreement", "Can see target-responsibility agreements"),
            ("manage_agreement", "Can draft, adjust and record target-responsibility agreements"),
        ]
        constraints = [
            models.UniqueConstraint(
                "person",
                "year",
                name="agreement_one_per_director_year",
                violation_error_message=_("This director already has an agreement for this year."),
            )
        ]
        indexes = [models.Index(fields=["year", "state", "township"])]

    def __str__(self) -> str:
        return _("%(year)s target-responsibility agreement of %(name)s") % {
            "year": self.year,
            "name": self.person.name,
        }

    @property
    def is_signed(self) -> bool:
        return self.state == AgreementState.SIGNED

    @transition(field=state, source=AgreementState.DRAFTED, target=AgreementState.SIGNED)
    def sign(
        self, *, township_signatory, township_on, village_signatory, village_on, director_on, by
    ) -> None:
        self.township_signatory = township_signatory
        self.township_signed_on = township_on
        self.village_signatory = village_signatory
        self.village_signed_on = village_on
        self.director_signed_on = director_on
        self.recorded_by = by
