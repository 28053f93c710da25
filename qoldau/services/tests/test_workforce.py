"""The workforce's rules: who keeps workers and trainings, the domain's refusals (a clear
translated error and nothing changed), the audit without names, the bonus and targets as
dated data, and the progress towards the target as counts, hidden and rounded for the
public."""

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone, translation

from qoldau.core.errors import PermissionDenied, ValidationFailed
from qoldau.core.models import AuditEntry
from qoldau.services import policy
from qoldau.services.models import Training, Worker, WorkforceBonus
from qoldau.services.selectors import workforce as selectors
from qoldau.services.services import workforce as services
from qoldau.services.tests.workforce_factories import Scene, scene, workers

pytestmark = pytest.mark.django_db

HIRED = dt.date(2022, 3, 1)


@pytest.fixture
def s() -> Scene:
    return scene()


def add(s: Scene, **changes: object) -> Worker:
    fields: dict[str, object] = {
        "actor": s.staff,
        "provider": s.provider,
        "full_name": "Серікова Айгүл",
        "position": "social_worker",
        "hired_on": HIRED,
        "qualification": "Жоғары",
    }
    fields.update(changes)
    return services.worker_add(**fields)  # type: ignore[arg-type]


def test_the_providers_staff_keep_its_workers_and_the_audit_names_nobody(s: Scene) -> None:
    worker = add(s)
    assert worker.full_name == "Серікова Айгүл"
    entry = AuditEntry.objects.get(action="services.worker.add")
    assert entry.object_id == str(worker.pk)
    assert "Серікова" not in str(entry.details)
    assert "Айгүл" not in str(entry.details)
    # The administrator keeps them too; a system administrator may.
    add(s, actor=s.admin)
    add(s, actor=s.system_admin)
    assert Worker.objects.filter(provider=s.provider).count() == 3


@pytest.mark.parametrize("who", ["other_staff", "officer", "astana_officer"])
def test_nobody_else_keeps_a_providers_workers(s: Scene, who: str) -> None:
    worker = add(s)
    actor = getattr(s, who)
    with pytest.raises(PermissionDenied):
        add(s, actor=actor)
    with pytest.raises(PermissionDenied):
        services.training_record(
            actor=actor, worker=worker, course="C", hours=10, completed_on=dt.date(2025, 1, 1)
        )
    with pytest.raises(PermissionDenied):
        services.worker_leave(actor=actor, worker=worker, left_on=dt.date(2025, 1, 1))
    assert Worker.objects.count() == 1
    assert not Training.objects.exists()
    # Nor see them: not found, never whether they exist.
    assert worker not in policy.workers_kept_by(actor)
    with pytest.raises(Http404):
        selectors.worker_for(actor, worker.pk)
    with pytest.raises(Http404):
        selectors.provider_for_workers(actor, s.provider.pk)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"full_name": "  "}, "full_name", "Толық аты-жөні"),
        ({"position": "astronaut"}, "position", "тізімнен"),
        ({"hired_on": timezone.localdate() + dt.timedelta(days=2)}, "hired_on", "Болашақтағы"),
    ],
)
def test_a_worker_is_refused_with_a_translated_error_and_nothing_written(
    s: Scene, changes: dict[str, object], field: str, words: str
) -> None:
    with translation.override("kk"), pytest.raises(ValidationFailed) as refused:
        add(s, **changes)
    assert refused.value.field == field
    with translation.override("kk"):
        assert words in refused.value.render()
    assert not Worker.objects.exists()
    assert not AuditEntry.objects.filter(action="services.worker.add").exists()


def test_leaving_and_trainings_follow_the_dates(s: Scene) -> None:
    worker = add(s)
    with pytest.raises(ValidationFailed) as refused:
        services.worker_leave(actor=s.staff, worker=worker, left_on=HIRED - dt.timedelta(days=1))
    assert refused.value.code == "ends_before_start"
    worker.refresh_from_db()
    assert worker.left_on is None
    services.training_record(
        actor=s.staff,
        worker=worker,
        course="Ерте араласу",
        hours=72,
        completed_on=dt.date(2025, 3, 1),
        certificate="A-1",
    )
    services.worker_leave(actor=s.staff, worker=worker, left_on=dt.date(2025, 6, 1))
    with pytest.raises(ValidationFailed) as twice:
        services.worker_leave(actor=s.staff, worker=worker, left_on=dt.date(2025, 7, 1))
    assert twice.value.code == "already_left"
    with pytest.raises(ValidationFailed) as late:
        services.training_record(
            actor=s.staff, worker=worker, course="Later", hours=10, completed_on=dt.date(2025, 6, 2)
        )
    assert late.value.code == "trained_after_leaving"
    for hours in (0, 2001):
        with pytest.raises(ValidationFailed) as bad_hours:
            services.training_record(
                actor=s.staff, worker=worker, course="Hours", hours=hours, completed_on=dt.date(2025, 1, 2)
            )
        assert bad_hours.value.field == "hours"
    assert list(Training.objects.values_list("course", flat=True)) == ["Ерте араласу"]
    worker.refresh_from_db()
    assert worker.left_on == dt.date(2025, 6, 1)


def bonus(
    s: Scene, actor: object, percent: int, valid_from: dt.date, valid_to: dt.date | None = None
) -> None:
    services.bonus_record(
        actor=actor,  # type: ignore[arg-type]
        name_kk="Үстемақы",
        name_ru="Надбавка",
        region=s.almaty,
        percent=Decimal(percent),
        valid_from=valid_from,
        valid_to=valid_to,
    )


def test_the_bonus_is_dated_data_kept_by_a_system_administrator(s: Scene) -> None:
    with pytest.raises(PermissionDenied):
        bonus(s, s.officer, 30, dt.date(2025, 1, 1))
    with pytest.raises(ValidationFailed):
        bonus(s, s.system_admin, 201, dt.date(2025, 1, 1))
    with pytest.raises(ValidationFailed) as backwards:
        bonus(s, s.system_admin, 30, dt.date(2025, 1, 1), dt.date(2024, 1, 1))
    assert backwards.value.code == "ends_before_start"
    assert not WorkforceBonus.objects.exists()
    bonus(s, s.system_admin, 30, dt.date(2025, 1, 1))
    services.bonus_record(
        actor=s.system_admin,
        name_kk="Ел",
        name_ru="Страна",
        percent=Decimal(10),
        valid_from=dt.date(2020, 1, 1),
    )
    in_almaty = selectors.bonus_in_force(s.almaty, dt.date(2025, 5, 1))
    assert in_almaty is not None
    assert in_almaty.percent == 30
    # Before Almaty's own bonus, and elsewhere, the country's is in force.
    before = selectors.bonus_in_force(s.almaty, dt.date(2024, 5, 1))
    assert before is not None
    assert before.percent == 10
    elsewhere = selectors.bonus_in_force(s.astana_provider.organisation.region, dt.date(2025, 5, 1))
    assert elsewhere is not None
    assert elsewhere.percent == 10


def test_a_target_that_ends_before_it_starts_is_refused(s: Scene) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.training_target_record(
            actor=s.system_admin,
            name_kk="T",
            name_ru="T",
            region=s.almaty,
            specialists=10,
            counted_from=dt.date(2025, 1, 1),
            deadline=dt.date(2024, 1, 1),
        )
    assert refused.value.field == "deadline"
    with pytest.raises(PermissionDenied):
        services.training_target_record(
            actor=s.staff,
            name_kk="T",
            name_ru="T",
            region=s.almaty,
            specialists=10,
            counted_from=dt.date(2025, 1, 1),
            deadline=dt.date(2026, 1, 1),
        )


def test_progress_counts_each_trained_specialist_once_within_the_scope(s: Scene) -> None:
    workers(s.staff, s.provider, 30, trained=12)
    workers(s.other_staff, s.other, 8, trained=3, position="nurse")
    workers(s.system_admin, s.astana_provider, 20, trained=20)
    # A second course does not count a specialist twice; a course before the target's
    # period does not count.
    first = Worker.objects.filter(provider=s.provider).first()
    assert first is not None
    services.training_record(
        actor=s.staff, worker=first, course="Again", hours=8, completed_on=dt.date(2025, 9, 1)
    )
    later = Worker.objects.filter(provider=s.provider, trainings__isnull=True).first()
    assert later is not None
    services.training_record(
        actor=s.staff, worker=later, course="Old", hours=8, completed_on=dt.date(2024, 9, 1)
    )

    officer = selectors.training_progress(s.officer, s.target, threshold=5, as_of=dt.date(2025, 12, 31))
    assert (officer.trained, officer.workers, officer.social_workers) == (15, 38, 30)
    assert officer.share == Decimal("1.5")
    assert {r.label: r.trained for r in officer.by_district} == {"Медеу ауданы": 12, "Алатау ауданы": 3}
    # A provider's staff count their own provider only; Astana's officer none of Almaty's.
    own = selectors.training_progress(s.staff, s.target, threshold=5, as_of=dt.date(2025, 12, 31))
    assert (own.trained, [r.label for r in own.by_provider]) == (12, [s.provider.organisation.name])
    astana = selectors.training_progress(s.astana_officer, s.target, threshold=5, as_of=dt.date(2025, 12, 31))
    assert (astana.trained, astana.by_provider) == (0, [])


def test_the_public_sees_rounded_counts_and_small_ones_hidden(s: Scene) -> None:
    workers(s.staff, s.provider, 30, trained=12)
    workers(s.other_staff, s.other, 8, trained=3, position="nurse")
    public = selectors.training_progress(None, s.target, threshold=5, as_of=dt.date(2025, 12, 31))
    assert public.public
    assert (public.trained, public.workers, public.social_workers) == (15, 40, 30)
    by_provider = {r.label: r for r in public.by_provider}
    # 3 is fewer than 5: hidden, and the 12 beside it too (else 15 - 12 gives it away).
    assert by_provider[s.other.organisation.name].trained is None
    assert by_provider[s.provider.organisation.name].trained is None
    assert by_provider[s.provider.organisation.name].workers == 30
    # No name, no person: the rows are providers and districts.
    assert all(not hasattr(r, "full_name") for r in public.by_provider)
