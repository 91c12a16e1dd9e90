"""Viewflow flows and their task views: who must act, by when, and what happens on timeout."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Workflows")

    def ready(self) -> None:
        # Flow classes register their nodes (and the manage_ permission of the process model)
        # when imported; import them before migrate or the timer command needs them.
        from workflows import (
            flows,  # noqa: F401
            flows_appraisal,  # noqa: F401
            flows_contract,  # noqa: F401
            flows_endings,  # noqa: F401
            flows_month,  # noqa: F401
            flows_renewal,  # noqa: F401
            flows_vacancy,  # noqa: F401
            task_notices,  # noqa: F401  (tells people of new tasks)
        )
