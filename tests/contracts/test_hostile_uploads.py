"""Uploads hold no active content: every hostile file of ``hostile_pdfs`` is refused by the
upload page with a clear message and nothing is stored; a plain contract, even with web
links and an opening page, is still accepted; what is kept is named by the registry."""

import hashlib
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import Organization, User
from audit.models import AuditEntry
from contracts.documents import contract_document_check
from contracts.models import ServiceContract
from contracts.pdf import letter_pdf
from tests.contracts.hostile_pdfs import HOSTILE_PDFS, HostilePdf, flate_bomb, simple_pdf
from tests.factories import (
    BrokerFactory,
    LetterOfAuthorityFactory,
    OrganizationFactory,
    ServiceContractFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

URL = "/contracts/upload/"


@pytest.fixture
def broker_user() -> User:
    return UserFactory.create(organization=BrokerFactory.create().organization)


@pytest.fixture
def trader() -> Organization:
    return OrganizationFactory.create(kind=Organization.Kind.TRADER)


def _upload(client: Client, trader: Organization, content: bytes, **values: str):  # type: ignore[no-untyped-def]
    today = date.today()
    data = {
        "trader_tax_code": trader.tax_code,
        "reference": "HĐ-01/2026",
        "signed_on": today.isoformat(),
        "valid_from": today.isoformat(),
        "valid_until": (today + timedelta(days=365)).isoformat(),
        "services": ["declaration"],
        "document": SimpleUploadedFile(
            values.pop("name", "contract.pdf"), content, content_type="application/pdf"
        ),
        **values,
    }
    return client.post(URL, data)


def _stored(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


@pytest.mark.parametrize("hostile", HOSTILE_PDFS, ids=[h.name for h in HOSTILE_PDFS])
def test_a_hostile_pdf_is_refused_and_nothing_is_stored(
    client: Client,
    broker_user: User,
    trader: Organization,
    private_storage: Path,
    mailoutbox: list[object],
    hostile: HostilePdf,
) -> None:
    client.force_login(broker_user)
    response = _upload(client, trader, hostile.build())
    html = response.content.decode()
    assert response.status_code == 200
    assert hostile.message in html
    assert not ServiceContract.objects.exists()
    assert _stored(private_storage) == []
    assert not AuditEntry.objects.filter(action="contract.upload").exists()
    assert mailoutbox == []


def test_the_hostile_collection_covers_every_kind_of_refusal() -> None:
    messages = {hostile.message for hostile in HOSTILE_PDFS}
    for expected in (
        "JavaScript",
        "OpenAction, AA",
        "Launch",
        "embedded files",
        "RichMedia",
        "XFA",
        "once decompressed",
        "at most 500",
        "too many objects",
        "nested too deeply",
    ):
        assert expected in messages


def test_a_flate_bomb_is_refused_without_being_inflated_in_memory() -> None:
    bomb = flate_bomb()  # 200 MB once inflated
    assert len(bomb) < 256 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(Exception, match="once decompressed"):
            contract_document_check(SimpleUploadedFile("bomb.pdf", bomb))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024 * 1024


PLAIN_CONTRACTS = {
    # What word processors write: open on the first page, links to a web site and inside.
    "opening-page-and-links": simple_pdf(
        catalog=b"/OpenAction [3 0 R /XYZ null null 0] /PageMode /UseNone",
        page=b"/Annots [4 0 R 5 0 R]",
        extra=[
            b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] "
            b"/A << /S /URI /URI (https://example.test/) >> >>",
            b"<< /Type /Annot /Subtype /Link /Rect [9 9 19 19] /Dest [3 0 R /Fit] >>",
        ],
    ),
    "open-action-goto": simple_pdf(catalog=b"/OpenAction << /S /GoTo /D [3 0 R /Fit] >>"),
    "tagged-structure": simple_pdf(
        catalog=b"/StructTreeRoot 4 0 R /MarkInfo << /Marked true >>",
        extra=[b"<< /Type /StructTreeRoot /K << /Type /StructElem /S /P /A << /O /Layout >> >> >>"],
    ),
}


@pytest.mark.parametrize("name", PLAIN_CONTRACTS)
def test_a_plain_contract_is_accepted(
    client: Client, broker_user: User, trader: Organization, private_storage: Path, name: str
) -> None:
    client.force_login(broker_user)
    response = _upload(client, trader, PLAIN_CONTRACTS[name])
    assert response.status_code == 302
    assert ServiceContract.objects.count() == 1


def test_a_pdf_made_by_weasyprint_is_accepted() -> None:
    document = letter_pdf(LetterOfAuthorityFactory.create())
    digest = contract_document_check(SimpleUploadedFile("letter.pdf", document))
    assert digest == hashlib.sha256(document).hexdigest()


def test_the_file_is_stored_under_a_random_name_with_the_pdf_extension(
    client: Client, broker_user: User, trader: Organization, private_storage: Path
) -> None:
    client.force_login(broker_user)
    content = PLAIN_CONTRACTS["open-action-goto"]
    response = _upload(client, trader, content, name="../../hợp đồng.exe.html")
    assert response.status_code == 302
    contract = ServiceContract.objects.get()
    name = Path(str(contract.document.name))
    assert name.parent.parent.parent == Path("contracts")
    assert name.suffix == ".pdf" and len(name.stem) == 32 and "exe" not in name.name
    assert [p.name for p in _stored(private_storage)] == [name.name]


@pytest.mark.parametrize(
    "reference", ["HĐ-01\r\n2026", "HĐ-01\nBcc: all@example.test", "HĐ\x00-01", "HĐ\u2028-01"]
)
def test_a_reference_with_line_breaks_or_control_characters_is_refused(
    client: Client,
    broker_user: User,
    trader: Organization,
    private_storage: Path,
    mailoutbox: list[object],
    reference: str,
) -> None:
    client.force_login(broker_user)
    response = _upload(client, trader, PLAIN_CONTRACTS["open-action-goto"], reference=reference)
    html = response.content.decode()
    assert response.status_code == 200
    assert "This field is one line of text" in html or "Null characters" in html
    assert not ServiceContract.objects.exists()
    assert _stored(private_storage) == []
    assert mailoutbox == []


def test_downloads_are_kept_by_no_cache(client: Client) -> None:
    letter = LetterOfAuthorityFactory.create()
    contract = letter.contract
    client.force_login(UserFactory.create(organization=contract.trader))
    for url in (f"/contracts/{contract.pk}/document/", f"/letters/{letter.pk}/pdf/"):
        response = client.get(url)
        assert response.status_code == 200
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= cache_control


def test_an_old_reference_cannot_break_the_download_header(client: Client) -> None:
    contract = ServiceContractFactory.create()
    # Stored before references were checked.
    ServiceContract.objects.filter(pk=contract.pk).update(reference='HĐ-9\r\n"x";/..\\y')
    client.force_login(UserFactory.create(organization=contract.trader))
    response = client.get(f"/contracts/{contract.pk}/document/")
    disposition = response["Content-Disposition"]
    assert response.status_code == 200
    assert "\r" not in disposition and "\n" not in disposition
    assert "HĐ-9-x-..-y.pdf" in disposition or "H%C4%90-9-x-..-y.pdf" in disposition
