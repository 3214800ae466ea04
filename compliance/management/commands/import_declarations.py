from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from compliance.declaration_csv import declaration_rows_read
from compliance.services import INGEST_BATCH_LIMIT, declarations_ingest


class Command(BaseCommand):
    help = "Import declarations from a CSV file (header: number, registered_at, ...)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="UTF-8 CSV file with a header line.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        with path.open("rb") as stream:
            try:
                rows = declaration_rows_read(stream)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
        created = duplicates = 0
        for start in range(0, len(rows), INGEST_BATCH_LIMIT):
            result = declarations_ingest(rows=rows[start : start + INGEST_BATCH_LIMIT])
            created += result.created
            duplicates += result.duplicates
            for row_error in result.errors:
                # Line 1 is the header.
                line = start + row_error.index + 2
                self.stderr.write(f"line {line}: {row_error.field}: {row_error.message}")
        self.stdout.write(f"{created} created, {duplicates} duplicates, from {len(rows)} rows.")
