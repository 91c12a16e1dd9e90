"""The process record of the recruitment flow: one per campaign, enforced by the database."""

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

if TYPE_CHECKING:
    from appraisal.models import AnnualAppraisal, RewardSettlement
    from assessment.models import AssessmentMonth
    from contracts.models import Contract, DismissalCase, RenewalReview, Resignation, Vacancy
    from recruitment.models import Campaign


class CampaignProcess(Process):
    """The flow of one recruitment campaign (``workflows.flows.CampaignFlow``).

    A multi-table child of viewflow's ``Process`` with a real one-to-one key, so a campaign
    never has two processes and scoping is a join (``campaign__township``). The process never
    writes the campaign: the campaign's state changes only through the recruitment services
    its task views call.
    """

    campaign: "models.OneToOneField[Campaign, Campaign]" = models.OneToOneField(
        "recruitment.Campaign",
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="workflow_process",
    )

    class Meta:
        verbose_name = _("recruitment campaign process")
        verbose_name_plural = _("recruitment campaign processes")

    def __str__(self) -> str:
        return str(self.campaign)

    @property
    def subject(self) -> "Campaign":
        """The business record the process is about (``workflows.services.subject_of``)."""
        return self.campaign


class ContractProcess(Process):
    """Signing and filing of one contract (``workflows.flows_term.ContractFlow``): the
    township records both signatures, the county files it, and it comes into force once
    induction training is recorded."""

    contract: "models.OneToOneField[Contract, Contract]" = models.OneToOneField(
        "contracts.Contract",
        verbose_name=_("contract"),
        on_delete=models.PROTECT,
        related_name="workflow_process",
    )

    class Meta:
        verbose_name = _("contract signing and filing process")
        verbose_name_plural = _("contract signing and filing processes")

    def __str__(self) -> str:
        return str(self.contract)

    @property
    def subject(self) -> "Contract":
        """The business record the process is about (``workflows.services.subject_of``)."""
        return self.contract


class VacancyProcess(Process):
    """A vacancy from the day the post fell vacant until it is filled: acting designation,
    refill, escalation when overdue (``workflows.flows_term.VacancyFlow``)."""

    vacancy: "models.OneToOneField[Vacancy, Vacancy]" = models.OneToOneField(
        "contracts.Vacancy",
        verbose_name=_("vacancy"),
        on_delete=models.PROTECT,
        related_name="workflow_process",
    )

    class Meta:
        verbose_name = _("vacancy process")
        verbose_name_plural = _("vacancy processes")

    def __str__(self) -> str:
        return str(self.vacancy)

    @property
    def subject(self) -> "Vacancy":
        """The business record the process is about (``workflows.services.subject_of``)."""
        return self.vacancy


class ResignationProcess(Process):
    """A resignation request waiting for the township
    (``workflows.flows_term.ResignationFlow``)."""

    resignation: "models.OneToOneField[Resignation, Resignation]" = models.OneToOneField(
        "contracts.Resignation",
        verbose_name=_("resignation"),
        on_delete=models.PROTECT,
        related_name="workflow_process",
    )

    class Meta:
        verbose_name = _("resignation process")
        verbose_name_plural = _("resignation processes")

    def __str__(self) -> str:
        return str(self.resignation)

    @property
    def subject(self) -> "Resignation":
        """The business record the process is about (``workflows.services.subject_of``)."""
        return self.resignation


class RenewalProcess(Process):
    """A renewal review waiting for the township's decision
    (``workflows.flows_term.RenewalFlow``)."""

    review: "models.OneToOneField[RenewalReview, RenewalReview]" = models.OneToOneField(
        "contracts.RenewalReview",
        verbose_name=_("renewal review"),
        on_delete=models.PROTECT,
        related_name="workflow_process",
    )

    class Meta:
        verbose_name = _("renewal review process")
        verbose_name_plural = _("renewal review processes")

    def __str__(self) -> str:
        return str(self.review)

    @property
    def subject(self) -> "RenewalReview":
        """The business record the process is about (``workflows.services.subject_of``)."""
        return self.review


class DismissalProcess(Process):
    """A dismissal case from its opening to its filing (``workflows.flows_term.DismissalFlow``)."""

    case: "models.OneToOneField[DismissalCase, DismissalCase]" = models.OneToOneField(
        "contracts.DismissalCase",
        verbose_name=_("dismissal case"),
        on_delete=models.PROTECT,
        related_name="workflow_process",
    )

    class Meta:
        verbose_name = _("dismissal case process")
        verbose_name_plural = _("dismissal case processes")

    def __str__(self) -> str:
        return str(self.case)

    @property
    def subject(self) -> "DismissalCase":
        """The business record the process is about (``workflows.services.subject_of``)."""
        return self.case


class MonthProcess(Process):
    """One revision of a township's month (``workflows.flows_month.MonthFlow``): scoring,
    publishing and settling, each by its time limit. A correction that reopens the month ends
    this process and starts one for the new revision."""

    month: "models.ForeignKey[AssessmentMonth, AssessmentMonth]" = models.ForeignKey(
        "assessment.AssessmentMonth",
        verbose_name=_("month"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    revision: "models.PositiveSmallIntegerField[int, int]" = models.PositiveSmallIntegerField(
        _("revision"), default=1
    )

    class Meta:
        verbose_name = _("monthly assessment process")
        verbose_name_plural = _("monthly assessment processes")
        constraints = [
            models.UniqueConstraint("month", "revision", name="month_process_unique_revision")
        ]

    def __str__(self) -> str:
        return str(self.month)

    @property
    def subject(self) -> "AssessmentMonth":
        """The business record the process is about (``workflows.services.subject_of``)."""
        return self.month


class AppraisalProcess(Process):
    """A director's annual appraisal: rated by the township, confirmed by the county
    (``workflows.flows_appraisal.AppraisalFlow``)."""

    appraisal: "models.OneToOneField[AnnualAppraisal, AnnualAppraisal]" = models.OneToOneField(
        "appraisal.AnnualAppraisal",
        verbose_name=_("annual appraisal"),
        on_delete=models.PROTECT,
        related_name="workflow_process",
    )

    class Meta:
        verbose_name = _("annual appraisal process")
        verbose_name_plural = _("annual appraisal processes")

    def __str__(self) -> str:
        return str(self.appraisal)

    @property
    def subject(self) -> "AnnualAppraisal":
        """The business record the process is about (``workflows.services.subject_of``)."""
        return self.appraisal


class SettlementProcess(Process):
    """A township's reward settlement list of a year, settled by its due date
    (``workflows.flows_appraisal.SettlementFlow``)."""

    settlement: "models.OneToOneField[RewardSettlement, RewardSettlement]" = models.OneToOneField(
        "appraisal.RewardSettlement",
        verbose_name=_("reward settlement"),
        on_delete=models.PROTECT,
        related_name="workflow_process",
    )

    class Meta:
        verbose_name = _("reward settlement process")
        verbose_name_plural = _("reward settlement processes")

    def __str__(self) -> str:
        return str(self.settlement)

    @property
    def subject(self) -> "RewardSettlement":
        """The business record the process is about (``workflows.services.subject_of``)."""
        return self.settlement
