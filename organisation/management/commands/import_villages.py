"""Import villages and populations from the command line, as the import page does."""

import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.tabular import ImportFileError, check_file_size
from organisation.importing import villages_import


class Command(BaseCommand):
    help = (
        "Import villages and registered populations of a county HR officer's county from an "
        ".xlsx or .csv file (columns: township, village, population; optional kind and date). "
        "All or nothing: with any bad row nothing is written and every problem is listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the .xlsx or .csv file")
        parser.add_argument(
            "--user", required=True, help="username of the county HR officer importing"
        )
        parser.add_argument(
            "--date",
            help="date of the figures for rows without one, YYYY-MM-DD (default: today)",
        )

    def handle(self, *args, path, user, date, **options):
        try:
            by = get_user_model().objects.select_related("county").get(username=user)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"No user named {user!r}.") from exc
        try:
            on = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--date {date!r} is not a date like 2026-01-01.") from exc
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"{path} is not a file.")
        try:
            check_file_size(file.stat().st_size)
            report = villages_import(
                file_name=file.name, content=file.read_bytes(), default_date=on, by=by
            )
        except (ImportFileError, PermissionDenied, ValidationError) as exc:
            message = getattr(exc, "message", None) or " ".join(
                getattr(exc, "messages", [str(exc)])
            )
            raise CommandError(message) from exc

        if not report.ok:
            self.stdout.write(f"{file.name}: nothing imported, {len(report.errors)} problem(s).")
            self.stdout.write("row\tcolumn\tproblem")
            for error in report.errors:
                self.stdout.write(f"{error.row}\t{error.column or '-'}\t{error.reason}")
            raise CommandError("The file was not imported.")
        summary = report.summary()
        self.stdout.write(self.style.SUCCESS(f"{file.name}: imported {report.rows} rows."))
        for key in (
            "created",
            "updated",
            "unchanged",
            "posts_created",
            "posts_reactivated",
            "posts_abolished",
            "posts_flagged_surplus",
        ):
            self.stdout.write(f"{key}: {summary[key]}")
        self.stdout.write(f"sha256: {report.sha256}")
