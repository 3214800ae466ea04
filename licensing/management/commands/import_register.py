import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from licensing.register_file import register_rows_read
from licensing.register_plan import Outcome, RegisterPlan, register_plan
from licensing.services.register import register_import_apply, register_import_create

FIELD_NAMES = {
    "license_number": "licence number",
    "name": "name",
    "province": "province",
    "issued_on": "issued on",
    "valid_until": "valid until",
}


class Command(BaseCommand):
    help = (
        "Load brokers from the official list: a CSV with the columns of /brokers/export.csv "
        "(English or Vietnamese headings) or an XLSX workbook."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="CSV (UTF-8) or XLSX file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would change; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        content = path.read_bytes()
        try:
            with path.open("rb") as stream:
                rows = register_rows_read(stream)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        plan = register_plan(rows)
        if not options["dry_run"] and plan.changes_anything:
            register_import = register_import_create(
                file_name=path.name, content=content, rows=rows, by=None
            )
            plan = register_import_apply(
                register_import=register_import, by=None, progress=self._progress_bar()
            )
        self._report(plan, dry_run=options["dry_run"])
        if plan.lines and plan.errors == len(plan.lines):
            raise CommandError(f"{plan.summary()}: every line is in error, nothing changed.")
        self.stdout.write(plan.summary())

    def _progress_bar(self) -> Any:
        if not sys.stderr.isatty():
            return None

        def show(done: int, total: int) -> None:
            width = 40
            filled = width * done // total
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
            if done == total:
                sys.stderr.write("\n")
            sys.stderr.flush()

        return show

    def _report(self, plan: RegisterPlan, *, dry_run: bool) -> None:
        verb = "would be " if dry_run else ""
        for line in plan.lines:
            if line.outcome == Outcome.CREATED:
                self.stdout.write(f"line {line.line}: {line.license_number} {verb}created")
            elif line.outcome == Outcome.UPDATED:
                changes = ", ".join(
                    f"{FIELD_NAMES[name]} {old!r} -> {new!r}"
                    for name, (old, new) in line.changes.items()
                )
                self.stdout.write(
                    f"line {line.line}: {line.license_number} {verb}updated: {changes}"
                )
            elif line.outcome == Outcome.ERROR:
                self.stderr.write(f"line {line.line}: {' '.join(line.errors)}")
