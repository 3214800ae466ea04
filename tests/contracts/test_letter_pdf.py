import io
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.http import FileResponse
from django.test import Client
from django.utils import timezone
from django.utils.translation import override
from pypdf import PdfReader

from accounts.models import Organization, User
from contracts.models import LetterOfAuthority, ServiceContract
from contracts.pdf import letter_pdf, letter_verification_url
from contracts.services import letter_issue, letter_revoke
from tests.factories import (
    BrokerAgentFactory,
    LetterOfAuthorityFactory,
    OrganizationFactory,
    ServiceContractFactory,
    UserFactory,
)

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


@pytest.fixture
def trader_admin() -> User:
    contract = ServiceContractFactory.create(trader__name=TRADER_NAME)
    return UserFactory.create(organization=contract.trader, role=User.Role.ADMIN)


@pytest.fixture
def issued(trader_admin: User) -> LetterOfAuthority:
    """A letter issued through the service, as the trader's admin does on the site."""
    contract = ServiceContract.objects.get(trader=trader_admin.organization)
    today = timezone.localdate()
    return letter_issue(
        contract=contract,
        agent=BrokerAgentFactory.create(broker=contract.broker, full_name="Đỗ Thị Hằng"),
        procedures=["declaration"],
        customs_offices=[],
        valid_from=today,
        valid_until=today + timedelta(days=30),
        by=trader_admin,
    )


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def _stored(letter: LetterOfAuthority) -> bytes:
    letter.refresh_from_db()
    with letter.document.open("rb") as stored:
        return stored.read()


def _download(client: Client, letter: LetterOfAuthority) -> bytes:
    response = client.get(f"/letters/{letter.pk}/pdf/")
    assert response.status_code == 200
    assert isinstance(response, FileResponse)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{letter.number}.pdf"'
    assert "no-store" in response["Cache-Control"]
    return b"".join(response.streaming_content)  # type: ignore[arg-type]


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
    assert "REVOKED" not in text and "EXPIRED" not in text


def test_the_qr_code_is_an_svg_of_the_verification_url(letter: LetterOfAuthority) -> None:
    url = letter_verification_url(letter)
    assert url.endswith(f"/letters/verify/{letter.verification_code}/")
    reader = PdfReader(io.BytesIO(letter_pdf(letter)))
    # An SVG image is drawn as vector paths, not embedded as a raster image.
    assert not list(reader.pages[0].images)


def test_one_render_after_another_keeps_the_shipped_font(letter: LetterOfAuthority) -> None:
    """The stylesheet and its fonts are loaded once per process: later letters still embed
    the shipped font, in Vietnamese too."""
    with override("vi"):
        texts = [_text(letter_pdf(letter)) for _round in range(2)]
    assert texts[0] == texts[1]
    assert "Giấy ủy quyền" in texts[1] and TRADER_NAME in texts[1]
    fonts = {
        str(font["/BaseFont"])
        for page in PdfReader(io.BytesIO(letter_pdf(letter))).pages
        for font in page["/Resources"]["/Font"].values()  # type: ignore[index, union-attr]
    }
    # The family of the stylesheet's @font-face, not a font of the server's.
    assert fonts and all(font.endswith(("+Letter-Sans", "+Letter-Sans-Bold")) for font in fonts)


def test_issuing_stores_the_sealed_pdf_and_the_download_serves_it(
    client: Client, issued: LetterOfAuthority, trader_admin: User, private_storage: Path
) -> None:
    stored = _stored(issued)
    assert issued.document_shows == LetterOfAuthority.DocumentShows.ISSUED
    name = str(issued.document.name)
    assert name.startswith("letters/") and name.endswith(".pdf")
    assert (private_storage / name).is_file()
    text = _text(stored)
    assert issued.number in text and TRADER_NAME in text and "Đỗ Thị Hằng" in text
    assert "/ByteRange" in stored.decode("latin-1")  # the registry's seal
    client.force_login(trader_admin)
    assert _download(client, issued) == stored
    assert _download(client, issued) == stored  # served again, not rendered again


def test_revoking_stores_a_pdf_stamped_revoked_in_place_of_the_first(
    client: Client,
    issued: LetterOfAuthority,
    trader_admin: User,
    private_storage: Path,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    first = str(issued.document.name)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        letter_revoke(letter=issued, by=trader_admin, reason="Hết việc với đại lý")
    stored = _stored(issued)
    assert issued.document.name != first
    assert not (private_storage / first).exists()  # the unstamped PDF is gone
    assert issued.document_shows == LetterOfAuthority.DocumentShows.REVOKED
    text = _text(stored)
    assert "REVOKED" in text and "no longer authorises anyone" in text
    assert "Hết việc với đại lý" in text and issued.number in text
    client.force_login(trader_admin)
    assert _download(client, issued) == stored


def test_an_expired_letter_is_downloaded_stamped_expired(
    client: Client, issued: LetterOfAuthority, trader_admin: User
) -> None:
    first = _stored(issued)
    ended = timezone.localdate() - timedelta(days=1)
    LetterOfAuthority.objects.filter(pk=issued.pk).update(
        valid_from=ended - timedelta(days=30), valid_until=ended
    )
    client.force_login(trader_admin)
    downloaded = _download(client, issued)
    assert downloaded != first
    text = _text(downloaded)
    assert "EXPIRED" in text and f"expired on {ended:%d/%m/%Y}" in text
    assert "REVOKED" not in text
    # Stored once it says so: the next download serves that file.
    assert _stored(issued) == downloaded
    assert issued.document_shows == LetterOfAuthority.DocumentShows.EXPIRED
    name = issued.document.name
    assert _download(client, issued) == downloaded
    issued.refresh_from_db()
    assert issued.document.name == name


def test_the_expiry_stamp_is_in_the_readers_language(
    issued: LetterOfAuthority, trader_admin: User
) -> None:
    ended = timezone.localdate() - timedelta(days=1)
    LetterOfAuthority.objects.filter(pk=issued.pk).update(
        valid_from=ended - timedelta(days=30), valid_until=ended
    )
    issued.refresh_from_db()
    with override("vi"):
        text = _text(letter_pdf(issued))
    assert "HẾT HIỆU LỰC" in text and f"{ended:%d/%m/%Y}" in text


@pytest.mark.parametrize("party", ["trader", "broker", "customs"])
def test_the_parties_and_customs_download_it(
    client: Client, letter: LetterOfAuthority, party: str
) -> None:
    """A letter with no stored PDF (made in bulk, or before PDFs were stored) is rendered
    on its first download and stored."""
    assert not letter.document
    organization = {
        "trader": letter.contract.trader,
        "broker": letter.contract.broker.organization,
        "customs": OrganizationFactory.create(kind=Organization.Kind.CUSTOMS),
    }[party]
    client.force_login(UserFactory.create(organization=organization))
    downloaded = _download(client, letter)
    assert letter.number in _text(downloaded)
    assert _stored(letter) == downloaded


def test_a_stored_pdf_lost_from_the_disk_is_rendered_again(
    client: Client, issued: LetterOfAuthority, trader_admin: User, private_storage: Path
) -> None:
    (private_storage / str(issued.document.name)).unlink()
    client.force_login(trader_admin)
    assert issued.number in _text(_download(client, issued))


def test_another_organisation_gets_404_and_anonymous_signs_in(
    client: Client, issued: LetterOfAuthority, letter: LetterOfAuthority
) -> None:
    client.force_login(UserFactory.create())
    assert client.get(f"/letters/{issued.pk}/pdf/").status_code == 404
    assert client.get(f"/letters/{letter.pk}/pdf/").status_code == 404
    assert client.get(f"/letters/{letter.pk}/").status_code == 404
    letter.refresh_from_db()
    assert not letter.document  # nothing rendered for the stranger
    client.logout()
    assert "/accounts/login/" in client.get(f"/letters/{letter.pk}/pdf/")["Location"]


def test_the_download_takes_get_only(
    client: Client, issued: LetterOfAuthority, trader_admin: User
) -> None:
    client.force_login(trader_admin)
    assert client.post(f"/letters/{issued.pk}/pdf/").status_code == 405
