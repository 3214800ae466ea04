"""A company applies to be recognised as a customs broker, customs asks for more, approves,
and the company is on the public register."""

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import FileSystemStorage
from django.test import Client

from accounts.models import Organization, User
from brokers.models import Broker
from licensing.models import ApplicationStatus, RecognitionApplication
from tests.factories import OrganizationFactory, UserFactory, minimal_pdf

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def private_storage(tmp_path: Path) -> Any:
    field = RecognitionApplication._meta.get_field("business_registration")
    original = field.storage  # type: ignore[union-attr]
    field.storage = FileSystemStorage(location=tmp_path / "private", base_url=None)  # type: ignore[union-attr]
    yield
    field.storage = original  # type: ignore[union-attr]


def _sign_in(page: Any, live_server: Any, user: Any) -> None:
    """Hand the browser a session made by Django's test client (sign-in itself is tested
    by the accounts pages)."""
    page.context.clear_cookies()
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def test_an_application_from_submission_to_the_register(
    page: Any, live_server: Any, private_storage: Any, tmp_path: Path
) -> None:
    company = OrganizationFactory.create(
        kind=Organization.Kind.TRADER, name="Công ty TNHH Vận tải Hội An"
    )
    director = UserFactory.create(organization=company, role=User.Role.ADMIN)
    officer = UserFactory.create(organization__kind=Organization.Kind.CUSTOMS)
    registration = tmp_path / "dang-ky-kinh-doanh.pdf"
    registration.write_bytes(minimal_pdf("Giấy chứng nhận đăng ký doanh nghiệp"))

    _sign_in(page, live_server, director)
    page.goto("/")
    page.click("#nav-contracts")  # the "Contracts and letters" menu
    page.get_by_role("link", name="Become a customs broker").click()
    page.get_by_label("Company name").fill("Công ty TNHH Đại lý Hải quan Hội An")
    page.get_by_label("Address").fill("5 Trần Phú")
    page.get_by_label("Province").select_option(label="Đà Nẵng")
    page.get_by_label("Business registration (PDF)").set_input_files(str(registration))
    page.get_by_label("Qualified staff").fill("Phan Văn Long; CC-HA-01")
    page.get_by_role("button", name="Send the application").click()
    assert "Your application is sent to customs." in page.locator("main").inner_text()
    assert "Submitted, awaiting decision" in page.locator("#application-facts").inner_text()

    _sign_in(page, live_server, officer)
    page.goto("/customs/brokers/")
    page.get_by_role("link", name="Applications").click()
    queue = page.locator("#queue").inner_text()
    assert "Công ty TNHH Vận tải Hội An" in queue
    page.get_by_role("link", name="Công ty TNHH Đại lý Hải quan Hội An").click()
    assert "working days left" in page.locator("#deadline").inner_text()
    page.get_by_label("Information needed").fill("Gửi bản sao chứng chỉ của ông Long")
    page.get_by_role("button", name="Send the request").click()
    assert "The request is sent to the applicant." in page.locator("main").inner_text()

    _sign_in(page, live_server, director)
    page.goto("/licensing/recognition/")
    page.get_by_role("link", name="Công ty TNHH Đại lý Hải quan Hội An").click()
    assert "Gửi bản sao chứng chỉ của ông Long" in page.locator("main").inner_text()
    page.get_by_label("Your answer").fill("Đã gửi qua bưu điện ngày hôm nay")
    page.get_by_role("button", name="Send the answer").click()
    assert "Your answer is sent to customs." in page.locator("main").inner_text()

    _sign_in(page, live_server, officer)
    application = RecognitionApplication.objects.get()
    page.goto(f"/customs/applications/recognition/{application.pk}/")
    assert "Đã gửi qua bưu điện ngày hôm nay" in page.locator("main").inner_text()
    page.locator("#approve-form").get_by_label("Licence number").fill("DL-2026-00777")
    page.locator("#approve-form").get_by_role("button", name="Approve").click()
    assert "The application is approved." in page.locator("main").inner_text()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED

    # Anyone finds it on the public register at once.
    page.context.clear_cookies()
    page.goto("/brokers/?q=hoi an")
    assert "DL-2026-00777" in page.locator("main").inner_text()
    page.goto("/brokers/DL-2026-00777/")
    assert "Công ty TNHH Đại lý Hải quan Hội An" in page.locator("main").inner_text()
    broker = Broker.objects.get(license_number="DL-2026-00777")
    assert broker.issued_on == date.today()
