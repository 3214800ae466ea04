import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.services import Checkpoint, audit_chain_verify


def _kept_checkpoints(path: str) -> list[Checkpoint]:
    """Checkpoints saved from ``GET /api/v1/audit/checkpoints/``: a page of the API (its
    ``results``) or a plain list of ``{date, entries, head}``."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        rows = data["results"] if isinstance(data, dict) else data
        return [Checkpoint(str(row["date"]), int(row["entries"]), str(row["head"])) for row in rows]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise CommandError(f"Cannot read the checkpoints in {path}: {error}") from error


class Command(BaseCommand):
    help = (
        "Check the audit log's keyed chain (AUDIT_HMAC_KEY) and the published checkpoints, "
        "and name the first bad entry."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoints",
            metavar="FILE",
            help="a copy of the published checkpoints (JSON, as the API gives them) to "
            "check the chain against as well",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kept = _kept_checkpoints(options["checkpoints"]) if options["checkpoints"] else []
        report = audit_chain_verify(kept=kept)
        if report.problem:
            where = (
                f"entry #{report.first_broken_id}"
                if report.first_broken_id is not None
                else "the end of the chain"
            )
            raise CommandError(
                f"Audit chain broken at {where}: {report.problem} "
                f"({report.checked} entries before it are intact)."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {report.checked} entries."))
