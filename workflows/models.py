"""The process record of the recruitment flow: one per campaign, enforced by the database."""

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

if TYPE_CHECKING:
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
