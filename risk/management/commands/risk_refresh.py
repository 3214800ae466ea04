from typing import Any

from django.core.management.base import BaseCommand

from risk.refresh import risk_refresh


class Command(BaseCommand):
    help = "Recompute the risk tables over the analysed window (beat also runs it nightly)."

    def handle(self, *args: Any, **options: Any) -> None:
        run = risk_refresh()
        self.stdout.write(
            f"Risk analysis of {run.window_from} to {run.window_to}: "
            f"{run.declarations} declarations, {run.signers} signing certificates, "
            f"{run.brokers} brokers, {run.traders} traders."
        )
