"""What loading the official list would change: every line checked and compared with the
register in a few queries (set-based), before anything is written. The dry run shows this
plan; applying it (``licensing.services.register_import_apply``) follows it line by line."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.identifiers import licence_number_validator
from accounts.models import Organization
from accounts.provinces import Province
from accounts.taxcode import tax_code_normalize
from accounts.text import one_line_text_validate, text_fold
from brokers.models import Broker
from licensing.register_file import RegisterRow


class Outcome:
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    ERROR = "error"


@dataclass
class LinePlan:
    line: int
    license_number: str
    name: str
    outcome: str = Outcome.UNCHANGED
    # Field name to (value on the register, value in the file), for an update.
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    tax_code: str = ""
    province: str = ""
    issued_on: date | None = None
    valid_until: date | None = None
    broker_id: int | None = None
    organization_id: int | None = None


@dataclass
class RegisterPlan:
    lines: list[LinePlan]

    def count(self, outcome: str) -> int:
        return sum(1 for line in self.lines if line.outcome == outcome)

    @property
    def created(self) -> int:
        return self.count(Outcome.CREATED)

    @property
    def updated(self) -> int:
        return self.count(Outcome.UPDATED)

    @property
    def unchanged(self) -> int:
        return self.count(Outcome.UNCHANGED)

    @property
    def errors(self) -> int:
        return self.count(Outcome.ERROR)

    @property
    def changes_anything(self) -> bool:
        return self.created + self.updated > 0

    def summary(self) -> str:
        """The command's last line (not translated: scripts read it)."""
        return (
            f"created {self.created}, updated {self.updated}, "
            f"unchanged {self.unchanged}, errors {self.errors}"
        )


def _provinces() -> dict[str, str]:
    names: dict[str, str] = {}
    for value, label in Province.choices:
        names[text_fold(str(label))] = value
        names[value] = value
        names[value.replace("-", " ")] = value
        # "Thành phố Hồ Chí Minh" is often written without "Thành phố", "TP." or "Tỉnh".
        for prefix in ("thanh pho ", "tp. ", "tp ", "tinh "):
            folded = text_fold(str(label))
            if folded.startswith(prefix):
                names[folded.removeprefix(prefix)] = value
    return names


def _date(text: str) -> date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValidationError(
        _("“%(value)s” is not a date (YYYY-MM-DD or DD/MM/YYYY)."), params={"value": text[:40]}
    )


def _line_checked(row: RegisterRow, provinces: dict[str, str]) -> LinePlan:
    values = row.values
    plan = LinePlan(
        line=row.line,
        license_number=values.get("license_number", "").strip().upper()[:64],
        name=" ".join(values.get("name", "").split())[:300],
    )
    errors = plan.errors
    if not plan.license_number:
        errors.append(_("The licence number is missing."))
    else:
        try:
            licence_number_validator(plan.license_number)
        except ValidationError as error:
            errors.extend(error.messages)
    if not plan.name:
        errors.append(_("The name is missing."))
    elif len(plan.name) > 255:
        errors.append(_("The name is longer than 255 characters."))
    else:
        try:
            one_line_text_validate(plan.name)
        except ValidationError as error:
            errors.extend(error.messages)
    try:
        plan.tax_code = tax_code_normalize(values.get("tax_code", ""))
    except ValidationError as error:
        errors.extend(error.messages)
    province_text = values.get("province", "")
    plan.province = provinces.get(text_fold(province_text), "")
    if not plan.province:
        errors.append(
            _("Unknown province “%(province)s”.") % {"province": province_text[:60]}
            if province_text
            else _("The province is missing.")
        )
    for name in ("issued_on", "valid_until"):
        try:
            setattr(plan, name, _date(values.get(name, "").strip()))
        except ValidationError as error:
            errors.extend(error.messages)
    if plan.issued_on and plan.valid_until and plan.valid_until <= plan.issued_on:
        errors.append(_("The licence must end after it is issued."))
    return plan


def _duplicates_refused(lines: list[LinePlan]) -> None:
    licences = Counter(line.license_number for line in lines if line.license_number)
    tax_codes = Counter(line.tax_code for line in lines if line.tax_code)
    for line in lines:
        if licences[line.license_number] > 1:
            line.errors.append(
                _("The licence number %(licence)s is on more than one line of the file.")
                % {"licence": line.license_number}
            )
        if tax_codes[line.tax_code] > 1:
            line.errors.append(
                _("The tax code %(tax_code)s is on more than one line of the file.")
                % {"tax_code": line.tax_code}
            )


def _compared(line: LinePlan, broker: Broker | None, organization: Organization | None) -> None:
    if organization is not None and organization.kind != Organization.Kind.BROKER:
        line.errors.append(
            _("The tax code %(tax_code)s belongs to an organisation that is not a broker.")
            % {"tax_code": line.tax_code}
        )
        return
    if broker is None:
        line.outcome = Outcome.CREATED
        line.organization_id = organization.pk if organization else None
        return
    line.broker_id = broker.pk
    line.organization_id = broker.organization_id
    current = {
        "license_number": broker.license_number,
        "name": broker.organization.name,
        "province": broker.organization.province,
        "issued_on": broker.issued_on.isoformat(),
        "valid_until": broker.valid_until.isoformat(),
    }
    wanted = {
        "license_number": line.license_number,
        "name": line.name,
        "province": line.province,
        "issued_on": line.issued_on.isoformat() if line.issued_on else "",
        "valid_until": line.valid_until.isoformat() if line.valid_until else "",
    }
    line.changes = {
        name: (current[name], wanted[name]) for name in current if current[name] != wanted[name]
    }
    line.outcome = Outcome.UPDATED if line.changes else Outcome.UNCHANGED


def register_plan(rows: list[RegisterRow]) -> RegisterPlan:
    """Check every line and say what it would change, in three queries whatever the size."""
    provinces = _provinces()
    lines = [_line_checked(row, provinces) for row in rows]
    _duplicates_refused(lines)
    licences = {line.license_number for line in lines if line.license_number}
    tax_codes = {line.tax_code for line in lines if line.tax_code}
    by_licence = {
        broker.license_number: broker
        for broker in Broker.objects.select_related("organization").filter(
            license_number__in=licences
        )
    }
    by_tax_code = {
        broker.organization.tax_code: broker
        for broker in Broker.objects.select_related("organization").filter(
            organization__tax_code__in=tax_codes
        )
    }
    organizations = {
        organization.tax_code: organization
        for organization in Organization.objects.filter(tax_code__in=tax_codes)
    }
    for line in lines:
        if line.errors:
            line.outcome = Outcome.ERROR
            continue
        holder = by_licence.get(line.license_number)
        broker = by_tax_code.get(line.tax_code)
        if holder is not None and holder.organization.tax_code != line.tax_code:
            line.errors.append(
                _("The licence number %(licence)s is held by another firm (tax code %(tax_code)s).")
                % {"licence": line.license_number, "tax_code": holder.organization.tax_code}
            )
        else:
            _compared(line, broker, organizations.get(line.tax_code))
        if line.errors:
            line.outcome = Outcome.ERROR
    return RegisterPlan(lines=lines)
