from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp import user_has_device

from accounts.models import ApiToken, User
from accounts.services.api_tokens import api_token_create


class Command(BaseCommand):
    help = (
        "Issue an API token for an existing user under the web page's rules: a scope, an "
        "expiry of at most a year, and a user who has a second factor. Prints the key alone "
        "on the last line."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--scope", required=True, choices=ApiToken.Scope.values)
        parser.add_argument("--days", type=int, default=ApiToken.DEFAULT_DAYS)
        parser.add_argument("--purpose", default="Issued on the command line")

    def handle(self, *args: Any, **options: Any) -> None:
        user = (
            User.objects.select_related("organization")
            .filter(email__iexact=options["email"])
            .first()
        )
        if user is None:
            raise CommandError(f"No user has the e-mail address {options['email']}.")
        try:
            token, raw_key = api_token_create(
                user=user,
                purpose=options["purpose"],
                scope=options["scope"],
                days=options["days"],
                by=user,
                # The command stands in for the user's own verified session: a user
                # without a second factor gets no token here either.
                second_factor_passed=user_has_device(user, confirmed=True),
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"Token {token.prefix}… for {user.email}, scope {token.scope}, "
            f"expires {token.expires_at:%Y-%m-%d}."
        )
        self.stdout.write(raw_key)
