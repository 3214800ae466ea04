from typing import Any

from django.core.management.base import BaseCommand, CommandError

from audit.services import audit_chain_verify


class Command(BaseCommand):
    help = "Check the audit log's hash chain and name the first broken entry."

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_chain_verify()
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
