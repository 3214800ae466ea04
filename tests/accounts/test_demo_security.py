import re

import pytest
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import LoginEvent, Organization, SigningCertificate
from demo.accounts import DEMO_ORGANIZATIONS

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_the_demo_organisations_their_security(capsys) -> None:
    call_command("seed_demo")
    output = capsys.readouterr().out
    demo = Organization.objects.filter(tax_code__in=[spec.tax_code for spec in DEMO_ORGANIZATIONS])
    customs = demo.get(kind=Organization.Kind.CUSTOMS)
    assert customs.require_2fa
    trader = demo.get(kind=Organization.Kind.TRADER)
    assert trader.password_max_age_days == 180
    assert demo.count() == 3
    for organization in demo:
        assert SigningCertificate.objects.filter(organization=organization).count() == 1
        assert LoginEvent.objects.filter(organization=organization).count() >= 3

    device = TOTPDevice.objects.get(user__email="customs@demo.test")
    found = re.search(r"TOTP secret ([A-Z2-7]{32})", output)
    assert found is not None
    from base64 import b32decode

    assert b32decode(found.group(1)) == device.bin_key
    assert device.verify_token(f"{totp(b32decode(found.group(1))):06d}")

    call_command("seed_demo")
    assert found.group(1) in capsys.readouterr().out, "the same secret is printed again"
    assert TOTPDevice.objects.count() == 1
