from typing import Any

import pytest

from tests.accounts.passkey_authenticator import ORIGIN, RP_ID


@pytest.fixture
def passkey_relying_party(settings: Any) -> None:
    """Passkeys bound to the site of the software authenticator (passkey_authenticator.py)."""
    settings.OTP_WEBAUTHN_RP_ID = RP_ID
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [ORIGIN]
