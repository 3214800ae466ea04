import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.models import Organization
from compliance.models import Declaration
from tests.factories import CustomsOfficeFactory, UserFactory, valid_tax_code

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _customs_office() -> None:
    # Declarations name a customs office the registry knows.
    CustomsOfficeFactory.create(code="03CE")


HEADER = (
    "number,registered_at,customs_office,trader_tax_code,declarant_tax_code,"
    "agent_code,signer_serial,channel\n"
)


def csv_text() -> str:
    good = f"2026-11-20 09:15,03CE,{valid_tax_code(1)},{valid_tax_code(2)},AG-1,5400AB,green\n"
    return (
        HEADER
        + f"306001,{good}"
        + f"306002,2026-11-20 09:20,03CE,123,{valid_tax_code(2)},AG-1,5400AB,yellow\n"
        + f"306003,{good}"
    )


def test_the_command_imports_good_lines_and_reports_bad_ones(tmp_path: Path) -> None:
    path = tmp_path / "declarations.csv"
    path.write_text(csv_text(), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("import_declarations", str(path), stdout=out, stderr=err)
    assert "2 created, 0 duplicates, from 3 rows." in out.getvalue()
    assert "line 3: trader_tax_code:" in err.getvalue()
    assert set(Declaration.objects.values_list("number", flat=True)) == {"306001", "306003"}
    out = io.StringIO()
    call_command("import_declarations", str(path), stdout=out, stderr=io.StringIO())
    assert "0 created, 2 duplicates" in out.getvalue()


def test_a_short_line_is_reported_and_a_blank_line_skipped(tmp_path: Path) -> None:
    good = f"2026-11-20 09:15,03CE,{valid_tax_code(1)},{valid_tax_code(2)},AG-1,5400AB,green\n"
    path = tmp_path / "declarations.csv"
    # Padded names and values are read stripped; the third line lacks its channel.
    path.write_text(
        HEADER.replace("channel", " channel ")
        + f"306001,{good}\n"
        + f" 306002 ,{good}"
        + f"306003,2026-11-20 09:20,03CE,{valid_tax_code(1)},{valid_tax_code(2)}\n",
        encoding="utf-8",
    )
    out, err = io.StringIO(), io.StringIO()
    call_command("import_declarations", str(path), stdout=out, stderr=err)
    assert "2 created, 0 duplicates, from 3 rows." in out.getvalue()
    assert "channel:" in err.getvalue()
    assert set(Declaration.objects.values_list("number", flat=True)) == {"306001", "306002"}


def test_the_command_refuses_a_file_without_the_columns(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("number,channel\n1,green\n", encoding="utf-8")
    with pytest.raises(CommandError, match="registered_at"):
        call_command("import_declarations", str(path))
    assert not Declaration.objects.exists()


def upload(content: bytes, name: str = "batch.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_customs_uploads_a_csv_and_sees_the_report(client: Client) -> None:
    client.force_login(UserFactory.create(organization__kind=Organization.Kind.CUSTOMS))
    assert "Upload declarations" in client.get("/declarations/upload/").content.decode()
    response = client.post("/declarations/upload/", {"file": upload(csv_text().encode())})
    html = response.content.decode()
    assert response.status_code == 200
    assert " ".join(html.split()).count("2 created, 0 duplicates, 1 row refused.") == 1
    assert "trader_tax_code" in html
    assert Declaration.objects.count() == 2


def test_an_upload_that_is_not_a_csv_changes_nothing(client: Client) -> None:
    client.force_login(UserFactory.create(organization__kind=Organization.Kind.CUSTOMS))
    response = client.post("/declarations/upload/", {"file": upload(b"\xff\xfe\x00garbage")})
    assert response.status_code == 400
    assert "This is not a UTF-8 CSV file." in response.content.decode()
    assert not Declaration.objects.exists()


@pytest.mark.parametrize("kind", [Organization.Kind.TRADER, Organization.Kind.BROKER])
def test_only_customs_may_upload(client: Client, kind: str) -> None:
    client.force_login(UserFactory.create(organization__kind=kind))
    response = client.post("/declarations/upload/", {"file": upload(csv_text().encode())})
    assert response.status_code == 403
    assert not Declaration.objects.exists()


def test_anonymous_is_sent_to_sign_in(client: Client) -> None:
    assert "/accounts/login/" in client.get("/declarations/upload/")["Location"]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_command_streams_batches_and_shows_progress_on_a_terminal_only(
    tmp_path: Path,
) -> None:
    path = tmp_path / "declarations.csv"
    good = f"2026-11-20 09:15,03CE,{valid_tax_code(1)},{valid_tax_code(2)},AG-1,5400AB,green\n"
    lines = [f"{400_000 + i},{good}" for i in range(10_001)]  # two batches
    lines[10_000] = f"410000,2026-11-20 09:20,03CE,123,{valid_tax_code(2)},,,red\n"
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    out, err = Terminal(), io.StringIO()
    call_command("import_declarations", str(path), stdout=out, stderr=err)
    assert "\r10,000 rows" in out.getvalue() and "\r10,001 rows" in out.getvalue()
    assert "1 with errors" in out.getvalue()
    assert "10000 created, 0 duplicates, from 10001 rows." in out.getvalue()
    assert "line 10002: trader_tax_code:" in err.getvalue()  # numbered across batches
    assert Declaration.objects.count() == 10_000
    quiet = io.StringIO()
    call_command("import_declarations", str(path), stdout=quiet, stderr=io.StringIO())
    assert "\r" not in quiet.getvalue()
    assert quiet.getvalue() == "0 created, 10000 duplicates, from 10001 rows.\n"


def test_a_line_that_is_not_utf8_stops_the_import_and_says_what_was_stored(
    tmp_path: Path,
) -> None:
    path = tmp_path / "broken.csv"
    path.write_bytes(csv_text().encode() + b"306009,\xff\xfe\n")
    with pytest.raises(CommandError, match=r"This is not a UTF-8 CSV file\."):
        call_command("import_declarations", str(path), stdout=io.StringIO())
