from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo import accounts as accounts_demo
from demo import brokers as brokers_demo
from demo import compliance as compliance_demo
from demo import contracts as contracts_demo
from demo import licensing as licensing_demo
from demo import risk as risk_demo
from demo import signing as signing_demo


class Command(BaseCommand):
    help = "Create the demo data set (idempotent) and print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            # Demo users share one published password: never on a real register.
            raise CommandError("seed_demo refuses to run with production settings (DJANGO_ENV).")

        def say(line: str) -> None:
            self.stdout.write(line)

        logins = accounts_demo.seed(say=say)
        # Order matters: each app's demo builds on the organisations and data before it.
        brokers_demo.seed(say=say)
        contracts_demo.seed(say=say)
        signing_demo.seed(say=say)
        compliance_demo.seed(say=say)
        risk_demo.seed(say=say)
        licensing_demo.seed(say=say)
        self.stdout.write(self.style.SUCCESS("Demo data is in place. Demo logins:"))
        for login in logins:
            self.stdout.write(f"  {login.role:<24} {login.email:<24} {login.organization}")
        self.stdout.write(f"  password for all of them: {accounts_demo.DEMO_PASSWORD}")
