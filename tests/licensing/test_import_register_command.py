"""python manage.py import_register FILE [--dry-run]."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from accounts.models import Organization
from accounts.provinces import Province
from audit.models import AuditAction, AuditEntry
from brokers.models import Broker
from tests.factories import BrokerFactory, OrganizationFactory, valid_tax_code
from tests.licensing.conftest import VIETNAMESE_HEADINGS, firm_line, register_csv

pytestmark = pytest.mark.django_db


def _run(path: Path, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_register", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_new_list_creates_the_firms_and_ends_with_the_counts(write_file) -> None:
    path = write_file(register_csv([firm_line(1), firm_line(2, province="ho chi minh")]))

    out, _err = _run(path)

    assert out.strip().splitlines()[-1] == "created 2, updated 0, unchanged 0, errors 0"
    broker = Broker.objects.select_related("organization").get(license_number="DL-IMP-002")
    assert broker.organization.kind == Organization.Kind.BROKER
    assert broker.organization.province == Province.HO_CHI_MINH
    assert broker.organization.name == "Công ty Đại lý Hải quan Số 2"
    assert str(broker.valid_until) == "2029-01-14"
    # The public search finds it, as every firm the services write.
    assert "so 2" in broker.search_text
    entry = AuditEntry.objects.get(action=AuditAction.REGISTER_IMPORT)
    assert entry.after["created"] == 2
    assert entry.after["created_licences"] == ["DL-IMP-001", "DL-IMP-002"]


def test_loading_the_same_file_twice_changes_nothing_the_second_time(write_file) -> None:
    path = write_file(register_csv([firm_line(1), firm_line(2)]))
    _run(path)

    out, _err = _run(path)

    assert out.strip().splitlines()[-1] == "created 0, updated 0, unchanged 2, errors 0"
    assert Broker.objects.count() == 2
    assert AuditEntry.objects.filter(action=AuditAction.REGISTER_IMPORT).count() == 1


def test_the_dry_run_lists_the_changes_and_writes_nothing(write_file) -> None:
    broker = BrokerFactory.create(
        license_number="DL-IMP-001",
        organization=OrganizationFactory.create(
            kind=Organization.Kind.BROKER,
            tax_code=valid_tax_code(9001),
            name="Old name",
            province=Province.HAI_PHONG,
        ),
    )
    path = write_file(
        register_csv([firm_line(1), firm_line(2), firm_line(3, tax_code="0100109107")])
    )

    out, err = _run(path, "--dry-run")

    assert (
        "line 2: DL-IMP-001 would be updated: name 'Old name' -> 'Công ty Đại lý Hải quan Số 1'"
        in out
    )
    assert "issued on" in out and "valid until" in out
    assert "line 3: DL-IMP-002 would be created" in out
    assert "line 4: This tax code's check digit is wrong" in err
    assert out.strip().splitlines()[-1] == "created 1, updated 1, unchanged 0, errors 1"
    broker.refresh_from_db()
    broker.organization.refresh_from_db()
    assert broker.organization.name == "Old name"
    assert Broker.objects.count() == 1


def test_an_update_corrects_the_firm_and_its_licence(write_file) -> None:
    BrokerFactory.create(
        license_number="DL-IMP-001",
        organization=OrganizationFactory.create(
            kind=Organization.Kind.BROKER, tax_code=valid_tax_code(9001), name="Old name"
        ),
    )
    path = write_file(register_csv([firm_line(1, valid_until="2030-06-30", province="Đà Nẵng")]))

    out, _err = _run(path)

    assert out.strip().splitlines()[-1] == "created 0, updated 1, unchanged 0, errors 0"
    broker = Broker.objects.select_related("organization").get(license_number="DL-IMP-001")
    assert str(broker.valid_until) == "2030-06-30"
    assert broker.organization.province == Province.DA_NANG
    assert broker.organization.name == "Công ty Đại lý Hải quan Số 1"
    assert "hai quan so 1" in broker.search_text


def test_vietnamese_headings_semicolons_and_dates_written_day_first(write_file) -> None:
    content = (
        "Số giấy phép;Tên;Mã số thuế;Tỉnh/thành phố;Ngày cấp giấy phép;Giấy phép có hiệu lực đến\n"
        f"DL-VN-1;Công ty Đà Nẵng;{valid_tax_code(9100)};Đà Nẵng;01/02/2024;31/01/2029\n"
    ).encode()
    out, _err = _run(write_file(content))

    assert out.strip().splitlines()[-1] == "created 1, updated 0, unchanged 0, errors 0"
    assert str(Broker.objects.get(license_number="DL-VN-1").issued_on) == "2024-02-01"


def test_an_xlsx_workbook_is_read_like_the_csv(write_file) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(VIETNAMESE_HEADINGS)
    line = firm_line(7)
    sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)

    out, _err = _run(write_file(buffer.getvalue(), "register.xlsx"))

    assert out.strip().splitlines()[-1] == "created 1, updated 0, unchanged 0, errors 0"
    assert Broker.objects.filter(license_number="DL-IMP-007").exists()


def test_each_broken_line_says_why_and_the_good_ones_are_loaded(write_file) -> None:
    trader = OrganizationFactory.create(kind=Organization.Kind.TRADER)
    holder = BrokerFactory.create(license_number="DL-TAKEN")
    path = write_file(
        register_csv(
            [
                firm_line(1),
                firm_line(2, tax_code="0100109107"),
                firm_line(3, province="Atlantis"),
                firm_line(4, licence="DL-TWICE"),
                firm_line(5, licence="DL-TWICE"),
                firm_line(6, licence="DL-TAKEN"),
                firm_line(8, tax_code=trader.tax_code),
                firm_line(9, valid_until="2020-01-01"),
                firm_line(10, issued_on="not a date"),
                firm_line(11, name="", licence="bad licence/"),
            ]
        )
    )

    out, err = _run(path)

    assert out.strip().splitlines()[-1] == "created 1, updated 0, unchanged 0, errors 9"
    assert "line 3: This tax code's check digit is wrong" in err
    assert "line 4: Unknown province “Atlantis”." in err
    assert "line 5: The licence number DL-TWICE is on more than one line" in err
    assert "line 6: The licence number DL-TWICE is on more than one line" in err
    assert (
        "line 7: The licence number DL-TAKEN is held by another firm "
        f"(tax code {holder.organization.tax_code})" in err
    )
    assert "line 8: The tax code" in err and "not a broker" in err
    assert "line 9: The licence must end after it is issued." in err
    assert "line 10: “not a date” is not a date" in err
    assert "line 11: A licence number has at most 32" in err and "The name is missing." in err
    assert list(
        Broker.objects.values_list("license_number", flat=True).order_by("license_number")
    ) == [
        "DL-IMP-001",
        "DL-TAKEN",
    ]


def test_a_file_whose_lines_all_fail_changes_nothing_and_exits_non_zero(write_file) -> None:
    path = write_file(register_csv([firm_line(1, tax_code="123"), firm_line(2, province="")]))

    with pytest.raises(CommandError, match="created 0, updated 0, unchanged 0, errors 2"):
        _run(path)

    assert not Broker.objects.exists()
    assert not Organization.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Licence number,Name\nDL-1,X\n", "lacks the column(s): Tax code, Province"),
        ("Số giấy phép,Tên\n".encode("utf-16"), "not in UTF-8"),
        (
            "Số giấy phép,Tên,Mã số thuế\nDL-1,Công ty\n".encode("cp1258", errors="replace"),
            "not in UTF-8",
        ),
        (b"", "empty"),
        (b"PK\x03\x04 not really a workbook", "not an XLSX workbook"),
        (b"%PDF-1.7\x00\x01\x02", "not a CSV file"),
    ],
)
def test_a_file_that_is_not_the_register_is_refused_clearly(write_file, content, message) -> None:
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        _run(write_file(content))
    assert not Broker.objects.exists()


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No such file"):
        _run(tmp_path / "nowhere.csv")


def test_the_export_loads_back_unchanged(client, write_file) -> None:
    BrokerFactory.create_batch(3)
    exported = client.get("/brokers/export.csv", HTTP_ACCEPT_LANGUAGE="vi")
    assert "Số giấy phép".encode() in exported.content

    out, _err = _run(write_file(exported.content))

    assert out.strip().splitlines()[-1] == "created 0, updated 0, unchanged 3, errors 0"
