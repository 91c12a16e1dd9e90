from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training")

    def ready(self) -> None:
        """Answer, from the training records, the dismissal detector's question about
        missed refreshers and the renewal review's about training over the term."""
        from contracts.constants import GroundDetector
        from contracts.detectors import register_provider
        from contracts.term_records import register_term_records
        from training.selectors import MissedRefresher, TrainingTermRecords

        register_provider(GroundDetector.MISSED_REFRESHER, MissedRefresher())
        records = TrainingTermRecords()
        records.previous = register_term_records(records)
