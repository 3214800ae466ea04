import threading
from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from compliance.models import Flag, FlagStatus, ScanRun
from compliance.scan import declarations_scan
from tests.compliance.world import EXPECTED_FLAGS, World, build_world
from tests.factories import LetterOfAuthorityFactory, ServiceContractFactory

pytestmark = pytest.mark.django_db


def _flags(world: World) -> set[tuple[str, str]]:
    keys = {declaration.pk: key for key, declaration in world.declarations.items()}
    return {(keys[d], kind) for d, kind in Flag.objects.values_list("declaration_id", "kind")}


def test_one_declaration_per_rule_gives_exactly_the_expected_flags() -> None:
    world = build_world()
    run = declarations_scan()
    assert _flags(world) == EXPECTED_FLAGS
    assert run.flags_created == len(EXPECTED_FLAGS)
    assert run.mode == ScanRun.Mode.INCREMENTAL and run.finished_at is not None


def test_flags_carry_the_trader_and_the_broker() -> None:
    world = build_world()
    declarations_scan()
    flag = Flag.objects.get(kind="signature_misuse")
    assert flag.trader == world.trader
    assert flag.broker == world.broker
    assert flag.status == FlagStatus.OPEN
    unlicensed = Flag.objects.get(kind="unlicensed_declarant")
    assert unlicensed.trader == world.trader and unlicensed.broker is None


def test_the_rules_use_the_local_date_of_registration() -> None:
    # Registered at 23:30 local time the day before the suspension started: the broker
    # was still in good standing that day, although it was already that day in UTC.
    world = build_world()
    Flag.objects.all().delete()
    starts_on = world.suspended_broker.sanctions.get().starts_on
    local_evening = timezone.make_aware(
        datetime.combine(starts_on - timedelta(days=1), time.min)
    ) + timedelta(hours=23, minutes=30)
    declaration = world.declarations["broker_suspended"]
    declaration.registered_at = local_evening
    declaration.save()
    declarations_scan(full=True)
    assert not Flag.objects.filter(kind="broker_suspended").exists()


def test_a_second_run_adds_nothing() -> None:
    build_world()
    declarations_scan()
    second = declarations_scan()
    full = declarations_scan(full=True)
    assert second.flags_created == 0
    assert full.flags_created == 0
    assert full.declarations_scanned == 7  # every declaration but the self-filed one
    assert Flag.objects.count() == len(EXPECTED_FLAGS)


def test_an_incremental_run_scans_only_what_changed_since_the_watermark() -> None:
    world = build_world()
    first = declarations_scan()
    # Declarations the previous run covered, older than the overlap it re-reads.
    from compliance.models import Declaration

    Declaration.objects.update(changed_at=timezone.now() - timedelta(hours=1))
    first.watermark_to = timezone.now() - timedelta(minutes=30)
    first.save()
    world.declare("late", signer_serial=world.trader_serial)
    second = declarations_scan()
    assert second.watermark_from == first.watermark_to
    assert second.declarations_scanned == 1
    assert second.flags_created == 1
    assert Flag.objects.filter(declaration=world.declarations["late"]).get().scan_run == second


def test_a_rescan_after_the_contract_is_confirmed_does_not_reopen_resolved_flags() -> None:
    world = build_world()
    declarations_scan()
    flag = Flag.objects.get(kind="no_contract")
    flag.status = FlagStatus.RESOLVED
    flag.note = "Hợp đồng đã nộp bổ sung"
    flag.save()
    contract = ServiceContractFactory.create(
        trader=world.trader_without_contract, broker=world.broker
    )
    LetterOfAuthorityFactory.create(contract=contract, agent=world.agent)
    run = declarations_scan(full=True)
    flag.refresh_from_db()
    assert run.flags_created == 0
    assert flag.status == FlagStatus.RESOLVED
    assert flag.note == "Hợp đồng đã nộp bổ sung"
    assert Flag.objects.count() == len(EXPECTED_FLAGS)


def test_a_pending_contract_is_reported_as_not_valid() -> None:
    world = build_world()
    ServiceContractFactory.create(
        trader=world.trader_without_contract, broker=world.broker, confirmed_at=None
    )
    declarations_scan()
    kinds = set(world.declarations["no_contract"].flags.values_list("kind", flat=True))
    assert kinds == {"contract_expired"}


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="advisory locks and concurrent writers need PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_two_scans_at_once_raise_each_flag_once() -> None:
    build_world()
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def scan() -> None:
        try:
            barrier.wait()
            declarations_scan(full=True)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=scan) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Flag.objects.count() == len(EXPECTED_FLAGS)
    assert sorted(ScanRun.objects.values_list("flags_created", flat=True)) == [0, 6]


def test_the_command_scans_and_reports(capsys: pytest.CaptureFixture[str]) -> None:
    from django.core.management import call_command

    build_world()
    call_command("scan_declarations", "--no-email")
    assert (
        "incremental scan: 7 declarations, 6 new flags, 0 digests sent." in capsys.readouterr().out
    )
    call_command("scan_declarations", "--full")
    assert "full scan: 7 declarations, 0 new flags" in capsys.readouterr().out
    assert ScanRun.objects.count() == 2
