"""API tokens for the fuzzing run (.ci/fuzz): the demo customs officer's (read, and ingest
for the declaration feed) and the demo trader admin's (read), made by the token service as
the web page makes them (from a session that passed the second factor), printed as
``NAME=key`` lines for the shell."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from accounts.models import User  # noqa: E402
from accounts.services.api_tokens import api_token_create  # noqa: E402

for name, email, scope in (
    ("CUSTOMS_TOKEN", "customs@demo.test", "read"),
    ("FEED_TOKEN", "customs@demo.test", "ingest"),
    ("TRADER_TOKEN", "trader@demo.test", "read"),
):
    user = User.objects.get(email=email)
    _token, key = api_token_create(
        user=user, purpose="Schemathesis fuzzing", scope=scope, by=user, second_factor_passed=True
    )
    print(f"{name}={key}")
