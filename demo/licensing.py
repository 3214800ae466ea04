"""Demo applications to customs: recognitions, agent codes and a renewal in each state,
an activity report, and a sanction proposed for a missing one."""

import io
from collections.abc import Callable
from datetime import timedelta
from functools import partial

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfWriter

from accounts.models import Organization, User
from accounts.provinces import Province
from accounts.services import organization_create, user_create
from brokers.models import Broker
from demo.accounts import DEMO_PASSWORD
from licensing.kinds import AnyApplication
from licensing.models import AgentCodeApplication, RecognitionApplication
from licensing.services import applications as services
from licensing.services.reports import activity_report_file

APPLICANTS = [
    ("Công ty TNHH Đại lý Hải quan Cửa Lò", "3000000001", "nghe-an", "submitted"),
    ("Công ty Cổ phần Logistics Chu Lai", "4000000002", "da-nang", "info_requested"),
    ("Công ty TNHH Dịch vụ Hải quan Mộc Bài", "3900000003", "tay-ninh", "approved"),
    ("Công ty TNHH Thương mại Lao Bảo", "3200000004", "quang-tri", "refused"),
]


def _pdf(name: str) -> SimpleUploadedFile:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), "application/pdf")


def _valid_tax_code(stem: str) -> str:
    from stdnum.vn import mst

    number = int(stem[:9])
    while True:
        candidate = f"{number:09d}"
        check = mst.calc_check_digit(candidate)
        if len(check) == 1 and mst.is_valid(candidate + check):
            return candidate + check
        number += 1


def _decide(
    application: AnyApplication, state: str, officer: User, approve: Callable[[], object]
) -> None:
    """Take an application to ``state`` (it stays submitted otherwise)."""
    if state == "info_requested":
        services.application_info_request(
            application=application,
            message="Xin gửi bản sao có chứng thực chứng chỉ nghiệp vụ.",
            by=officer,
        )
    elif state == "refused":
        services.application_refuse(
            application=application,
            reason="Chưa đủ điều kiện về nhân viên có chứng chỉ nghiệp vụ.",
            by=officer,
        )
    elif state == "approved":
        approve()


def seed(*, say: Callable[[str], None]) -> None:
    """Safe to run again: does nothing once the demo applications exist."""
    if RecognitionApplication.objects.exists():
        return
    officer = User.objects.get(email="customs@demo.test")
    today = timezone.localdate()
    for index, (name, stem, province, state) in enumerate(APPLICANTS, start=1):
        organization = organization_create(
            kind=Organization.Kind.TRADER,
            name=name,
            tax_code=_valid_tax_code(stem),
            province=province,
        )
        admin = user_create(
            email=f"applicant{index}@demo.test",
            password=DEMO_PASSWORD,
            organization=organization,
            role=User.Role.ADMIN,
        )
        application = services.recognition_apply(
            organization=organization,
            name=name,
            address=f"Số {index} đường Trần Hưng Đạo, {Province(province).label}",
            province=province,
            phone="",
            email="",
            business_registration=_pdf("dkkd.pdf"),
            staff=[
                {
                    "full_name": "Nguyễn Văn Hùng",
                    "certificate_number": f"{index:03d}/{today.year - 1}/CCNV-HQ",
                }
            ],
            by=admin,
        )
        _decide(
            application,
            state,
            officer,
            partial(
                services.recognition_approve,
                application=application,
                license_number=f"DL-{today.year}-9{index:04d}",
                valid_until=today + timedelta(days=5 * 365),
                by=officer,
            ),
        )
    broker = Broker.objects.get(organization__users__email="broker@demo.test")
    broker_admin = User.objects.get(email="broker@demo.test")
    people = [
        ("Đỗ Thị Lan", "001190000101", "submitted"),
        ("Vũ Minh Khoa", "001190000102", "info_requested"),
        ("Hoàng Anh Tuấn", "001190000103", "approved"),
        ("Bùi Thu Trang", "001190000104", "refused"),
    ]
    for index, (full_name, id_number, state) in enumerate(people, start=1):
        agent_application = services.agent_code_apply(
            broker=broker,
            full_name=full_name,
            id_number=id_number,
            certificate_number=f"CCNV-{today.year - 1}-{index:03d}",
            certificate_date=today - timedelta(days=200),
            proof=_pdf("chung-chi.pdf"),
            by=broker_admin,
        )
        _decide(
            agent_application,
            state,
            officer,
            partial(
                services.agent_code_approve,
                application=agent_application,
                agent_code=f"HQ-DEMO-{index:03d}",
                valid_until=today + timedelta(days=3 * 365),
                by=officer,
            ),
        )
    soon = (
        Broker.objects.filter(valid_until__gte=today, valid_until__lte=today + timedelta(days=90))
        .exclude(pk=broker.pk)
        .first()
    )
    if soon is not None:
        services.licence_renewal_apply(broker=soon, note="Đề nghị gia hạn giấy phép.", by=officer)
    activity_report_file(
        broker=broker,
        year=today.year - 1,
        declarations_filed=4210,
        traders_served=37,
        staff_count=6,
        changes="",
        by=broker_admin,
    )
    say(
        f"Licensing: {RecognitionApplication.objects.count()} applications for recognition, "
        f"{AgentCodeApplication.objects.count()} for agent codes"
        f"{', 1 licence renewal' if soon else ''}, 1 activity report."
    )
