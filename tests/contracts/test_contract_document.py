from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.test import Client

from accounts.models import Organization
from contracts.models import ServiceContract
from tests.factories import (
    OrganizationFactory,
    ServiceContractFactory,
    UserFactory,
    minimal_pdf,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract() -> ServiceContract:
    return ServiceContractFactory.create(reference="HĐ-77/2026")


def _url(contract: ServiceContract) -> str:
    return f"/contracts/{contract.pk}/document/"


@pytest.mark.parametrize("party", ["trader", "broker", "customs"])
def test_each_party_and_customs_download_the_signed_file(
    client: Client, contract: ServiceContract, party: str
) -> None:
    organization = {
        "trader": contract.trader,
        "broker": contract.broker.organization,
        "customs": OrganizationFactory.create(kind=Organization.Kind.CUSTOMS),
    }[party]
    client.force_login(UserFactory.create(organization=organization))
    response = client.get(_url(contract))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]  # not kept by the browser or a proxy
    assert b"".join(response.streaming_content) == minimal_pdf()  # type: ignore[attr-defined]


def test_a_third_organisation_gets_404(client: Client, contract: ServiceContract) -> None:
    client.force_login(UserFactory.create())
    assert client.get(_url(contract)).status_code == 404
    assert client.get(f"/contracts/{contract.pk}/").status_code == 404


def test_anonymous_is_sent_to_sign_in(client: Client, contract: ServiceContract) -> None:
    response = client.get(_url(contract))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_private_storage_is_outside_the_public_media_folder(
    client: Client, contract: ServiceContract
) -> None:
    private_root = Path(storages["private"].location).resolve()  # type: ignore[attr-defined]
    assert not private_root.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert not private_root.is_relative_to(Path(settings.STATIC_ROOT).resolve())
    client.force_login(UserFactory.create(organization=contract.trader))
    assert client.get(f"/media/{contract.document.name}").status_code == 404


def test_post_is_refused(client: Client, contract: ServiceContract) -> None:
    client.force_login(UserFactory.create(organization=contract.trader))
    assert client.post(_url(contract)).status_code == 405
