from typing import Any

from django.core.management.base import BaseCommand

from accounts import demo as accounts_demo


class Command(BaseCommand):
    help = "Create the demo data set (idempotent) and print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        logins = accounts_demo.seed()
        self.stdout.write(self.style.SUCCESS("Demo data is in place. Demo logins:"))
        for login in logins:
            self.stdout.write(f"  {login.role:<24} {login.email:<24} {login.organization}")
        self.stdout.write(f"  password for all of them: {accounts_demo.DEMO_PASSWORD}")
