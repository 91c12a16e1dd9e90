"""``manage.py sweep [--date YYYY-MM-DD]``: the daily sweep of the contract term
(``contracts.sweep``), run by cron once a day (see the README)."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from contracts.sweep import steps


class Command(BaseCommand):
    help = "Run the daily sweep of the contract term (renewal reviews, reminders, expiry, ...)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            help="The day to sweep for, YYYY-MM-DD (default: today in Asia/Shanghai).",
        )

    def handle(self, *args, **options):
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(
                    _("--date: “%(value)s” is not a date written YYYY-MM-DD.")
                    % {"value": options["date"]}
                ) from None
        else:
            today = timezone.localdate()
        failed = []
        with translation.override(settings.LANGUAGE_CODE):
            self.stdout.write(_("Daily sweep for %(date)s") % {"date": _cn(today)})
            for step in steps():
                try:
                    count = step.run(today=today)
                except Exception as exc:  # one failing step leaves the others' work done
                    failed.append(step.name)
                    self.stderr.write(
                        _("%(step)s failed: %(error)s") % {"step": step.name, "error": exc}
                    )
                    continue
                label = step.label or f"{step.name}: %(count)s"
                self.stdout.write(str(label) % {"count": count})
        if failed:
            raise CommandError(", ".join(failed))


def _cn(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
