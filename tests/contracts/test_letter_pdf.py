import io

import pytest
from django.test import Client
from pypdf import PdfReader

from accounts.models import Organization
from contracts.models import LetterOfAuthority
from contracts.pdf import letter_pdf, letter_verification_url
from tests.factories import LetterOfAuthorityFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

TRADER_NAME = "Công ty TNHH Thương mại Sao Việt Đồng Nai"


@pytest.fixture
def letter() -> LetterOfAuthority:
    return LetterOfAuthorityFactory.create(
        contract__trader__name=TRADER_NAME,
        agent__full_name="Nguyễn Thị Ngọc Ánh",
        agent__agent_code="NV-ĐL-0042",
        shipment_references="Hóa đơn số 0012/2026",
    )


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_carries_the_parties_agent_scope_and_diacritics(letter: LetterOfAuthority) -> None:
    text = _text(letter_pdf(letter))
    assert letter.number in text
    assert TRADER_NAME in text  # the shipped font renders Vietnamese diacritics
    assert letter.contract.trader.tax_code in text
    assert letter.contract.broker.organization.tax_code in text
    assert letter.contract.broker.license_number in text
    assert "Nguyễn Thị Ngọc Ánh" in text and "NV-ĐL-0042" in text
    assert "Hóa đơn số 0012/2026" in text
    assert letter.valid_from.strftime("%d/%m/%Y") in text
    assert letter.verification_code in text


def test_the_qr_code_is_an_svg_of_the_verification_url(letter: LetterOfAuthority) -> None:
    url = letter_verification_url(letter)
    assert url.endswith(f"/letters/verify/{letter.verification_code}/")
    reader = PdfReader(io.BytesIO(letter_pdf(letter)))
    # An SVG image is drawn as vector paths, not embedded as a raster image.
    assert not list(reader.pages[0].images)


@pytest.mark.parametrize("party", ["trader", "broker", "customs"])
def test_the_parties_and_customs_download_it(
    client: Client, letter: LetterOfAuthority, party: str
) -> None:
    organization = {
        "trader": letter.contract.trader,
        "broker": letter.contract.broker.organization,
        "customs": OrganizationFactory.create(kind=Organization.Kind.CUSTOMS),
    }[party]
    client.force_login(UserFactory.create(organization=organization))
    response = client.get(f"/letters/{letter.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert letter.number in _text(response.content)


def test_another_organisation_gets_404_and_anonymous_signs_in(
    client: Client, letter: LetterOfAuthority
) -> None:
    client.force_login(UserFactory.create())
    assert client.get(f"/letters/{letter.pk}/pdf/").status_code == 404
    assert client.get(f"/letters/{letter.pk}/").status_code == 404
    client.logout()
    assert "/accounts/login/" in client.get(f"/letters/{letter.pk}/pdf/")["Location"]
