"""The public document check: POST /api/v1/documents/verify/ and /documents/verify/."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pypdf import PdfReader

from accounts.models import Organization
from contracts.pdf import letter_pdf
from tests.factories import (
    LetterOfAuthorityFactory,
    OrganizationFactory,
    encrypted_pdf,
    minimal_pdf,
)
from tests.signing import authority, page_changed, person, signed

pytestmark = pytest.mark.django_db

API = "/api/v1/documents/verify/"


def _post(client: Client, content: bytes, url: str = API):  # type: ignore[no-untyped-def]
    return client.post(url, {"file": SimpleUploadedFile("d.pdf", content)})


def test_a_signed_pdf_is_checked_and_nothing_is_stored(client: Client) -> None:
    trader = OrganizationFactory.create(kind=Organization.Kind.TRADER)
    identity = person(authority(), name="Ký thử", tax_code=trader.tax_code)
    response = _post(client, signed(minimal_pdf(), identity))
    assert response.status_code == 200
    body = response.json()
    assert body["seal"] is None
    (signature,) = body["signatures"]
    assert set(signature) == {
        "field", "signer", "tax_code", "issuer", "signed_at", "intact",
        "covers_document", "trusted", "registered_to", "problems",
    }  # fmt: skip
    assert signature["intact"] and signature["covers_document"]
    assert signature["trusted"] is False and signature["registered_to"] is None
    assert signature["tax_code"] == trader.tax_code


def test_a_sealed_letter_verifies_then_an_altered_one_does_not(client: Client) -> None:
    letter = LetterOfAuthorityFactory.create()
    content = letter_pdf(letter)
    reader = PdfReader(BytesIO(content))
    fields = reader.get_fields() or {}
    assert "RegistrySeal" in fields and fields["RegistrySeal"].get("/FT") == "/Sig"
    body = _post(client, content).json()
    assert body["seal"]["valid"] is True
    assert body["seal"]["letter"]["number"] == letter.number
    assert body["seal"]["letter"]["valid_today"] is True
    altered = _post(client, page_changed(content)).json()
    assert altered["seal"]["valid"] is False
    assert "changed_after" in altered["signatures"][0]["problems"]


def test_a_revoked_letter_says_so(client: Client) -> None:
    from django.utils import timezone

    letter = LetterOfAuthorityFactory.create(
        status="revoked", revoked_at=timezone.now(), revocation_reason="Hết việc"
    )
    content = letter_pdf(letter)
    text = PdfReader(BytesIO(content)).pages[0].extract_text()
    assert "REVOKED" in text
    body = _post(client, content).json()
    assert body["seal"]["valid"] is True and body["seal"]["letter"]["valid_today"] is False


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"hello, not a pdf", "not a PDF"),
        (encrypted_pdf(), "encrypted"),
        (b"%PDF-1.7\nbroken", "not a readable PDF"),
    ],
)
def test_bad_files_get_their_message(client: Client, content: bytes, words: str) -> None:
    response = _post(client, content)
    assert response.status_code == 400
    assert words in str(response.json())


def test_no_file_is_a_400(client: Client) -> None:
    assert client.post(API, {}).status_code == 400


def test_the_page_shows_the_panel(client: Client) -> None:
    identity = person(authority(), name="Công ty Ký Thử")
    response = _post(client, signed(minimal_pdf(), identity), url="/documents/verify/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Công ty Ký Thử" in page and "Untrusted signature" in page


def test_the_page_refuses_a_non_pdf(client: Client) -> None:
    response = _post(client, b"plain text", url="/documents/verify/")
    assert "not a PDF" in response.content.decode()


def test_the_schema_documents_the_operation(client: Client) -> None:
    schema = client.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/documents/verify/"]["post"]
    assert {"200", "400", "413", "429"} <= set(operation["responses"])


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ('{"file": "x"}', "application/json", 415),
        ("file=%00%01", "application/x-www-form-urlencoded", 415),
    ],
)
def test_other_bodies_are_refused_cleanly(
    client: Client, body: str, content_type: str, status: int
) -> None:
    assert client.post(API, body, content_type=content_type).status_code == status


def test_a_text_field_instead_of_a_file_is_a_400(client: Client) -> None:
    response = client.post(API, {"file": "not a file\x00"})
    assert response.status_code == 400 and "file" in response.json()


def test_the_check_is_throttled(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.cache import cache

    from accounts.api.throttling import DocumentCheckRateThrottle

    rates = {**DocumentCheckRateThrottle.THROTTLE_RATES, "document_check": "2/minute"}
    monkeypatch.setattr(DocumentCheckRateThrottle, "THROTTLE_RATES", rates)
    cache.clear()
    statuses = [_post(client, minimal_pdf()).status_code for _round in range(3)]
    assert statuses == [200, 200, 429]
