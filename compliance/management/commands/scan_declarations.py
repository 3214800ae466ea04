from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from compliance.emails import scan_run_notify
from compliance.scan import declarations_scan


class Command(BaseCommand):
    help = "Scan declarations for compliance flags (those changed since the last run)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--full", action="store_true", help="Rescan every declaration, not only new ones."
        )
        parser.add_argument(
            "--no-email", action="store_true", help="Do not e-mail the traders' digests."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        run = declarations_scan(full=options["full"])
        sent = 0 if options["no_email"] else scan_run_notify(scan_run=run)
        self.stdout.write(
            f"{run.get_mode_display()} scan: {run.declarations_scanned} declarations, "
            f"{run.flags_created} new flags, {sent} digests sent."
        )
