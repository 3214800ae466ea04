import csv
import io
from pathlib import Path

import pytest

from accounts.models import Organization, User
from tests.factories import OrganizationFactory, UserFactory, valid_tax_code

ENGLISH_HEADINGS = [
    "Licence number",
    "Name",
    "Tax code",
    "Province",
    "Status",
    "Licence issued on",
    "Licence valid until",
]
VIETNAMESE_HEADINGS = [
    "Số giấy phép",
    "Tên",
    "Mã số thuế",
    "Tỉnh/thành phố",
    "Trạng thái",
    "Ngày cấp giấy phép",
    "Giấy phép có hiệu lực đến",
]


def register_csv(rows: list[list[str]], headings: list[str] = ENGLISH_HEADINGS) -> bytes:
    """A register file as the export writes it: UTF-8 with a byte-order mark."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(headings)
    writer.writerows(rows)
    return ("\ufeff" + text.getvalue()).encode()


def firm_line(n: int, **values: str) -> list[str]:
    line = {
        "licence": f"DL-IMP-{n:03d}",
        "name": f"Công ty Đại lý Hải quan Số {n}",
        "tax_code": valid_tax_code(9000 + n),
        "province": "Hải Phòng",
        "status": "Active",
        "issued_on": "2024-01-15",
        "valid_until": "2029-01-14",
    }
    line.update(values)
    return list(line.values())


@pytest.fixture
def write_file(tmp_path: Path):
    def write(content: bytes, name: str = "register.csv") -> Path:
        path = tmp_path / name
        path.write_bytes(content)
        return path

    return write


@pytest.fixture
def officer() -> User:
    return UserFactory.create(
        organization=OrganizationFactory.create(
            kind=Organization.Kind.CUSTOMS, name="Cục Hải quan"
        ),
        email="officer@customs.test",
        # Customs' admins are told of new applications.
        role=User.Role.ADMIN,
    )


@pytest.fixture
def private_storage(tmp_path: Path):
    """Proofs of a test go to a temporary private folder, not var/private."""
    from django.core.files.storage import FileSystemStorage

    from licensing.models import AgentCodeApplication

    field = AgentCodeApplication._meta.get_field("proof")
    original = field.storage  # type: ignore[union-attr]
    folder = tmp_path / "private"
    field.storage = FileSystemStorage(location=folder, base_url=None)  # type: ignore[union-attr]
    yield folder
    field.storage = original  # type: ignore[union-attr]


@pytest.fixture
def broker_admin() -> User:
    """The admin of a broker whose licence ends in 30 days."""
    from datetime import date, timedelta

    from tests.factories import BrokerFactory

    broker = BrokerFactory.create(
        license_number="DL-0077",
        valid_until=date.today() + timedelta(days=30),
        organization=OrganizationFactory.create(
            kind=Organization.Kind.BROKER, name="Đại lý Cần Thơ", email="office@broker.test"
        ),
    )
    return UserFactory.create(
        organization=broker.organization, role=User.Role.ADMIN, email="admin@broker.test"
    )
