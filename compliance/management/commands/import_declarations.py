import time
from itertools import islice
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from compliance.declaration_csv import declaration_rows_stream
from compliance.services import INGEST_BATCH_LIMIT, declarations_ingest


class Command(BaseCommand):
    help = (
        "Import declarations from a CSV file (header: number, registered_at, ...), read and "
        "stored in batches of 10,000 rows; on a terminal, a progress line shows the rows "
        "read, the rate and the errors so far."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="UTF-8 CSV file with a header line.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        progress = self.stdout.isatty()
        started = time.monotonic()
        read = created = duplicates = errors = 0
        with path.open("rb") as stream:
            rows = declaration_rows_stream(stream)
            try:
                while batch := list(islice(rows, INGEST_BATCH_LIMIT)):
                    result = declarations_ingest(rows=batch)
                    created += result.created
                    duplicates += result.duplicates
                    errors += len({row_error.index for row_error in result.errors})
                    for row_error in result.errors:
                        # Line 1 is the header.
                        line = read + row_error.index + 2
                        self.stderr.write(f"line {line}: {row_error.field}: {row_error.message}")
                    read += len(batch)
                    if progress:
                        rate = read / max(time.monotonic() - started, 1e-9)
                        self.stdout.write(
                            f"\r{read:,} rows, {rate:,.0f} rows/s, {errors:,} with errors",
                            ending="",
                        )
                        self.stdout.flush()
            except ValidationError as error:
                if progress:
                    self.stdout.write("")
                stored = f" ({created} created from the first {read} rows)" if read else ""
                raise CommandError(" ".join(error.messages) + stored) from error
        if progress:
            self.stdout.write("")
        self.stdout.write(f"{created} created, {duplicates} duplicates, from {read} rows.")
