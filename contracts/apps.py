from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = _("Contracts")

    # Modules that register steps of the daily sweep (contracts.sweep).
    sweep_modules: tuple[str, ...] = (
        "contracts.services.endings",
        "contracts.services.vacancies",
        "contracts.sweep_steps",
        "contracts.detectors",
    )

    def ready(self) -> None:
        import importlib

        for module in self.sweep_modules:
            importlib.import_module(module)
