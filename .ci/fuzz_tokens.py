"""API tokens for the fuzzing run (.ci/fuzz): one for the demo customs officer and one for
the demo trader's admin, made by the token service as the web page makes them, printed as
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

for name, email in (("CUSTOMS_TOKEN", "customs@demo.test"), ("TRADER_TOKEN", "trader@demo.test")):
    user = User.objects.get(email=email)
    _token, key = api_token_create(user=user, purpose="Schemathesis fuzzing", by=user)
    print(f"{name}={key}")
