"""Every rule of a contest, through the real services on the real database: each refusal
says what is wrong (its code and sentence) and changes nothing."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone, translation

from qoldau.contests import policy, selectors, services
from qoldau.contests.models import (
    ApplicantKind,
    Application,
    Commission,
    CommissionMember,
    Contest,
    Score,
)
from qoldau.contests.tests import factories as f
from qoldau.contests.tests.checks import changes_nothing, english
from qoldau.core import services as core_services
from qoldau.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from qoldau.core.models import AuditEntry
from qoldau.core.tests.factories import ALMATY, ASTANA, TURKISTAN, region
from qoldau.projects.tests import factories as projects

pytestmark = pytest.mark.django_db

ASTANA_TIME = zoneinfo.ZoneInfo("Asia/Almaty")
PAVLODAR = "550000000"


def _values(*values: Any) -> list[Decimal]:
    return [Decimal(v) for v in values]


def _scores(commission: Commission, values: list[Any]) -> list[services.ScoreInput]:
    criteria = selectors.criteria_of(commission)
    return [services.ScoreInput(c.pk, Decimal(v)) for c, v in zip(criteria, values, strict=True)]


def _draft(
    contest: Contest,
    *,
    now: dt.datetime | None = None,
    results: str = "80 адамға көмек.",
    staff=None,
    org=None,
) -> Application:
    if staff is None or org is None:
        staff, org = f.applicant(ALMATY)
    return services.application_start(
        actor=staff,
        contest=contest,
        now=now,
        data=services.ApplicationInput(
            applicant_kind=ApplicantKind.NGO,
            region_id=region(ALMATY).pk,
            organisation_id=org.pk,
            applicant_name=org.name,
            title_kk="Инклюзивті шеберхана",
            description_kk="Мүгедектігі бар жастарға кәсіп үйрету.",
            results=results,
        ),
    )


def _scored_region(kato: str = ALMATY, *, applications: int = 1):
    """A contest, its region's panel (chair, two members, secretary) and eligible applications."""
    minister = f.ministry()
    contest = f.contest(actor=minister)
    panel = f.regional_panel(contest, kato=kato, actor=minister)
    items = [
        f.eligible(f.contest_application(contest, kato=kato), panel.secretary) for _ in range(applications)
    ]
    return minister, contest, panel, items


# Applying and submitting ---------------------------------------------------------------


def test_the_deadline_is_read_in_astana_time_to_the_second():
    opens = dt.datetime(2026, 6, 1, 9, 0, tzinfo=ASTANA_TIME)
    deadline = dt.datetime(2026, 6, 30, 23, 59, 59, tzinfo=ASTANA_TIME)
    contest = f.contest(opens_at=opens, deadline=deadline)
    during = dt.datetime(2026, 6, 15, 12, 0, tzinfo=ASTANA_TIME)
    on_time, late = _draft(contest, now=during), _draft(contest, now=during)

    submitted = services.application_submit(actor=on_time.applicant, application=on_time, now=deadline)
    assert submitted.status == Application.Status.SUBMITTED
    assert submitted.number == "K-2026-75-0001"

    midnight = dt.datetime(2026, 7, 1, 0, 0, 0, tzinfo=ASTANA_TIME)
    assert midnight - deadline == dt.timedelta(seconds=1)
    # The same instant in UTC, as a server in another zone would hold it: still the 30th there.
    in_utc = midnight.astimezone(dt.UTC)
    assert in_utc.date() == dt.date(2026, 6, 30)
    with changes_nothing(), pytest.raises(Conflict) as caught:
        services.application_submit(actor=late.applicant, application=late, now=in_utc)
    assert caught.value.code == "deadline_passed"
    message = english(caught.value)
    assert "23:59 (Astana time)" in message
    assert "30" in message
    assert "A late application cannot be accepted." in message
    late.refresh_from_db()
    assert late.status == Application.Status.DRAFT
    assert late.number is None
    assert late.submitted_at is None


def test_an_application_cannot_be_started_after_the_deadline():
    contest = f.contest(
        opens_at=timezone.now() - dt.timedelta(days=30), deadline=timezone.now() - dt.timedelta(minutes=1)
    )
    staff, org = f.applicant(ALMATY)
    with changes_nothing(), pytest.raises(Conflict) as caught:
        _draft(contest, staff=staff, org=org)
    assert caught.value.code == "deadline_passed"


def test_a_kind_of_applicant_the_contest_does_not_admit_is_refused():
    contest = f.contest(kinds=[ApplicantKind.NGO, ApplicantKind.PUBLIC_ASSOCIATION])
    person = f.plain_user("citizen")
    with changes_nothing(), pytest.raises(ValidationFailed) as caught:
        services.application_start(
            actor=person,
            contest=contest,
            data=services.ApplicationInput(
                applicant_kind=ApplicantKind.INDIVIDUAL,
                region_id=region(ALMATY).pk,
                applicant_name="Айгүл Ахметова",
                title_kk="Жеке жоба",
            ),
        )
    assert caught.value.code == "not_eligible_kind"
    assert caught.value.field == "applicant_kind"
    message = english(caught.value)
    assert message.startswith("Individual may not apply here. Who may apply: ")
    # The list of kinds is rendered where the error is raised (here in Kazakh, the default).
    assert f"{ApplicantKind.NGO.label}, {ApplicantKind.PUBLIC_ASSOCIATION.label}" in message


def test_nobody_applies_for_an_organisation_they_do_not_work_for():
    contest = f.contest()
    staff, _own = f.applicant(ALMATY)
    _other_staff, other = f.applicant(ALMATY)
    with changes_nothing(), pytest.raises(PermissionDenied) as caught:
        services.application_start(
            actor=staff,
            contest=contest,
            data=services.ApplicationInput(
                applicant_kind=ApplicantKind.NGO,
                region_id=region(ALMATY).pk,
                organisation_id=other.pk,
                applicant_name=other.name,
                title_kk="Бөтен ұйым",
            ),
        )
    assert caught.value.code == "forbidden"
    assert english(caught.value) == "You can apply only for an organisation you work for."


def test_the_project_must_be_the_applying_organisations_own():
    contest = f.contest()
    staff, own = f.applicant(ALMATY)
    other_admin, other = f.applicant(ALMATY)
    # The applicant also works for the other organisation, so they can see its project.
    core_services.role_assign(actor=None, user=staff, role="ngo_staff", organisation=other)
    staff = User.objects.get(pk=staff.pk)  # a fresh copy: the scope is cached on the user
    their_project = projects.project(other_admin, other)
    with changes_nothing(), pytest.raises(ValidationFailed) as caught:
        services.application_start(
            actor=staff,
            contest=contest,
            data=services.ApplicationInput(
                applicant_kind=ApplicantKind.NGO,
                region_id=region(ALMATY).pk,
                organisation_id=own.pk,
                applicant_name=own.name,
                project_id=their_project.pk,
            ),
        )
    assert caught.value.field == "project_id"
    assert english(caught.value) == "The project must be one of the applying organisation's."


def test_an_incomplete_draft_is_not_submitted():
    contest = f.contest()
    draft = _draft(contest, results="")
    # The problems are listed in the language active when the service runs.
    with translation.override("en"), changes_nothing(), pytest.raises(ValidationFailed) as caught:
        services.application_submit(actor=draft.applicant, application=draft)
    assert caught.value.code == "incomplete"
    assert "Declare the results the project has achieved." in english(caught.value)
    draft.refresh_from_db()
    assert (draft.status, draft.number) == (Application.Status.DRAFT, None)


def test_a_submitted_application_can_no_longer_change():
    contest = f.contest()
    application = f.contest_application(contest)
    with changes_nothing(), pytest.raises(Conflict) as caught:
        services.application_submit(actor=application.applicant, application=application)
    assert caught.value.code == "submitted"


def test_receipt_numbers_run_in_sequence_per_region():
    contest = f.contest(year=2017)
    numbers = [
        f.contest_application(contest, kato=ALMATY).number,
        f.contest_application(contest, kato=ASTANA).number,
        f.contest_application(contest, kato=ALMATY).number,
        f.contest_application(contest, kato=TURKISTAN).number,
        f.contest_application(contest, kato=ALMATY).number,
    ]
    assert numbers == [
        "K-2017-75-0001",
        "K-2017-71-0001",
        "K-2017-75-0002",
        "K-2017-61-0001",
        "K-2017-75-0003",
    ]


# Eligibility ------------------------------------------------------------------------------


def test_only_the_secretary_decides_eligibility():
    contest = f.contest()
    panel = f.regional_panel(contest)
    application = f.contest_application(contest)
    for someone in (panel.chair, panel.members[0], f.plain_user("outsider")):
        with changes_nothing(), pytest.raises(PermissionDenied) as caught:
            services.eligibility_decide(actor=someone, application=application, eligible=True)
        assert english(caught.value) == "Only the secretary of the reviewing commission decides eligibility."
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.eligibility_checked_by is None


def test_the_secretary_of_another_region_does_not_decide_eligibility():
    contest = f.contest()
    f.regional_panel(contest, kato=ALMATY)
    astana = f.regional_panel(contest, kato=ASTANA)
    application = f.contest_application(contest, kato=ALMATY)
    with changes_nothing(), pytest.raises(PermissionDenied):
        services.eligibility_decide(actor=astana.secretary, application=application, eligible=True)


def test_a_refusal_needs_its_reason():
    contest = f.contest()
    panel = f.regional_panel(contest)
    application = f.contest_application(contest)
    with changes_nothing(), pytest.raises(ValidationFailed) as caught:
        services.eligibility_decide(
            actor=panel.secretary, application=application, eligible=False, reason="  "
        )
    assert caught.value.field == "reason"
    assert english(caught.value) == "Give the reason the application is not eligible."
    refused = services.eligibility_decide(
        actor=panel.secretary, application=application, eligible=False, reason="Жоба аяқталмаған."
    )
    assert refused.status == Application.Status.INELIGIBLE
    assert refused.eligibility_reason == "Жоба аяқталмаған."
    assert refused.eligibility_checked_by == panel.secretary


# Scoring ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["-0.01", "10.01", "11", "7.125", "NaN", "sNaN", "Infinity", "-Infinity"],
    ids=[
        "below",
        "just-above",
        "above",
        "three-decimals",
        "nan",
        "signalling-nan",
        "infinity",
        "minus-infinity",
    ],
)
def test_a_score_outside_the_scale_is_refused(value):
    _minister, _contest, panel, (application,) = _scored_region()
    criteria = selectors.criteria_of(panel.commission)
    sheet = [services.ScoreInput(criteria[0].pk, Decimal(value))] + [
        services.ScoreInput(c.pk, Decimal(5)) for c in criteria[1:]
    ]
    with changes_nothing(), pytest.raises(ValidationFailed) as caught:
        services.scores_record(
            actor=panel.chair, commission=panel.commission, application=application, scores=sheet
        )
    assert caught.value.code == "outside_scale"
    assert caught.value.field == f"criterion.{criteria[0].pk}"
    assert "must be from 0 to 10" in english(caught.value)


def test_both_ends_of_the_scale_and_two_decimals_are_accepted():
    _minister, _contest, panel, (application,) = _scored_region()
    rows = services.scores_record(
        actor=panel.chair,
        commission=panel.commission,
        application=application,
        scores=_scores(panel.commission, ["0", "10", "7.25"]),
    ).scores
    assert [r.value for r in rows] == _values("0", "10", "7.25")
    assert Score.objects.filter(application=application).count() == 3


def test_a_criterion_of_another_contest_is_refused():
    _minister, _contest, panel, (application,) = _scored_region()
    foreign = selectors.criteria_of(f.regional_panel(f.contest(), kato=ASTANA).commission)[0]
    sheet = [*_scores(panel.commission, [5, 5, 5]), services.ScoreInput(foreign.pk, Decimal(5))]
    with changes_nothing(), pytest.raises(ValidationFailed) as caught:
        services.scores_record(
            actor=panel.chair, commission=panel.commission, application=application, scores=sheet
        )
    assert caught.value.field == f"criterion.{foreign.pk}"
    assert english(caught.value) == f"Criterion {foreign.pk} is not one of this commission's."


def test_only_the_chair_and_members_score_not_the_secretary_nor_an_outsider():
    _minister, _contest, panel, (application,) = _scored_region()
    with changes_nothing(), pytest.raises(PermissionDenied) as refused:
        services.scores_record(
            actor=panel.secretary,
            commission=panel.commission,
            application=application,
            scores=_scores(panel.commission, [5, 5, 5]),
        )
    assert english(refused.value) == "Only the commission's chair and members score its applications."
    # Someone not on the commission is told it does not exist for them, as its pages do.
    with changes_nothing(), pytest.raises(NotFound) as hidden:
        services.scores_record(
            actor=f.plain_user("outsider"),
            commission=panel.commission,
            application=application,
            scores=_scores(panel.commission, [5, 5, 5]),
        )
    assert english(hidden.value) == english(NotFound(policy.NOT_ON_COMMISSION))


def test_a_member_of_another_regions_commission_cannot_score_this_regions_application():
    _minister, contest, almaty, (application,) = _scored_region(ALMATY)
    astana = f.regional_panel(contest, kato=ASTANA)
    # Through their own commission: not one of its applications, so not found, as the
    # commission's pages and API answer.
    with changes_nothing(), pytest.raises(NotFound) as caught:
        services.scores_record(
            actor=astana.members[0],
            commission=astana.commission,
            application=application,
            scores=_scores(astana.commission, [5, 5, 5]),
        )
    assert english(caught.value) == english(NotFound(policy.APPLICATION_HIDDEN))
    # Through the Almaty commission: they do not sit on it.
    with changes_nothing(), pytest.raises(NotFound):
        services.scores_record(
            actor=astana.members[0],
            commission=almaty.commission,
            application=application,
            scores=_scores(almaty.commission, [5, 5, 5]),
        )


def test_a_member_who_declared_a_conflict_cannot_score_and_their_scores_are_withdrawn():
    _minister, _contest, panel, (application,) = _scored_region()
    member = panel.members[0]
    services.scores_record(
        actor=member,
        commission=panel.commission,
        application=application,
        scores=_scores(panel.commission, [5, 5, 5]),
    )
    services.conflict_declare(
        actor=member, commission=panel.commission, application=application, reason="Менің туысым басқарады."
    )
    assert not Score.objects.filter(member=member).exists()
    with changes_nothing(), pytest.raises(PermissionDenied) as caught:
        services.scores_record(
            actor=member,
            commission=panel.commission,
            application=application,
            scores=_scores(panel.commission, [9, 9, 9]),
        )
    assert caught.value.code == "conflict"
    assert "declared a conflict of interest" in english(caught.value)
    with changes_nothing(), pytest.raises(Conflict) as again:
        services.conflict_declare(
            actor=member, commission=panel.commission, application=application, reason="Тағы."
        )
    assert again.value.code == "conflict_exists"


def test_a_member_who_works_for_the_applicant_cannot_score_it_even_undeclared():
    _minister, _contest, panel, (application,) = _scored_region()
    member = panel.members[1]
    assert application.organisation is not None
    core_services.role_assign(
        actor=None, user=member, role="ngo_staff", organisation=application.organisation
    )
    with changes_nothing(), pytest.raises(PermissionDenied) as caught:
        services.scores_record(
            actor=member,
            commission=panel.commission,
            application=application,
            scores=_scores(panel.commission, [9, 9, 9]),
        )
    assert caught.value.code == "conflict"
    assert "you are connected to the applicant" in english(caught.value).lower()


def test_an_application_not_found_eligible_is_not_scored():
    contest = f.contest()
    panel = f.regional_panel(contest)
    waiting = f.contest_application(contest)
    refused = services.eligibility_decide(
        actor=panel.secretary, application=f.contest_application(contest), eligible=False, reason="Құжат жоқ."
    )
    for application in (waiting, refused):
        with changes_nothing(), pytest.raises(Conflict) as caught:
            services.scores_record(
                actor=panel.chair,
                commission=panel.commission,
                application=application,
                scores=_scores(panel.commission, [5, 5, 5]),
            )
        assert caught.value.code == "not_eligible"
        assert english(caught.value) == "Only eligible applications are scored."


def test_the_commissions_own_scale_replaces_the_criteria_scale():
    minister = f.ministry()
    contest = f.contest(actor=minister)
    commission = services.commission_create(
        actor=minister, level="regional", contest=contest, region=region(ALMATY), scale_min=1, scale_max=5
    )
    panel = f.panel(commission, minister, members=0)
    application = f.eligible(f.contest_application(contest), panel.secretary)
    with changes_nothing(), pytest.raises(ValidationFailed) as caught:
        services.scores_record(
            actor=panel.chair,
            commission=commission,
            application=application,
            scores=_scores(commission, [7, 5, 5]),
        )
    assert caught.value.code == "outside_scale"
    assert "must be from 1 to 5" in english(caught.value)
    services.scores_record(
        actor=panel.chair,
        commission=commission,
        application=application,
        scores=_scores(commission, [5, 3, 1]),
    )
    (line,) = selectors.commission_ranking(commission).lines
    # Shares on 1–5: 1.0, 0.5, 0.0 with weights 3, 2, 1 → 4 / 6.
    assert line.score == pytest.approx(400 / 6)


def test_the_criteria_are_frozen_once_anyone_has_scored():
    minister, contest, panel, (application,) = _scored_region()
    services.scores_record(
        actor=panel.chair,
        commission=panel.commission,
        application=application,
        scores=_scores(panel.commission, [5, 5, 5]),
    )
    with changes_nothing(), pytest.raises(Conflict) as caught:
        services.criteria_set(
            actor=minister,
            contest=contest,
            criteria=[services.CriterionInput(name_kk="Жаңа", weight=Decimal(1))],
        )
    assert caught.value.code == "scoring_started"
    assert english(caught.value) == "Scoring has started; the criteria can no longer change."
    with changes_nothing(), pytest.raises(Conflict):
        services.commission_set_scale(actor=minister, commission=panel.commission, scale_min=1, scale_max=5)


def test_the_audit_log_records_who_scored_what_and_when():
    _minister, _contest, panel, (application,) = _scored_region()
    member = panel.members[0]
    criteria = selectors.criteria_of(panel.commission)
    before = timezone.now()
    services.scores_record(
        actor=member,
        commission=panel.commission,
        application=application,
        scores=_scores(panel.commission, ["8", "6.5", "4"]),
    )
    services.scores_record(
        actor=member,
        commission=panel.commission,
        application=application,
        scores=_scores(panel.commission, ["9", "6.5", "4"]),
    )
    after = timezone.now()
    entries = list(AuditEntry.objects.filter(action="commission.score").order_by("at", "pk"))
    assert len(entries) == 2
    first, second = entries
    assert first.actor == member
    assert first.actor_username == member.get_username()
    assert (first.object_type, first.object_id) == ("application", str(application.pk))
    assert first.details == {
        "commission": panel.commission.pk,
        "scores": {str(criteria[0].pk): "8", str(criteria[1].pk): "6.5", str(criteria[2].pk): "4"},
    }
    assert second.details["scores"][str(criteria[0].pk)] == "9"
    assert before <= first.at <= second.at <= after
    # The table keeps the latest; the log keeps both.
    assert Score.objects.get(member=member, criterion=criteria[0]).value == Decimal(9)


# Approval, freezing and advancement -------------------------------------------------------


def test_only_the_chair_approves():
    _minister, _contest, panel, (application,) = _scored_region()
    f.score_all(panel, application, [5, 5, 5])
    for someone in (panel.members[0], panel.secretary, f.plain_user("outsider")):
        with changes_nothing(), pytest.raises(PermissionDenied) as caught:
            services.commission_approve(actor=someone, commission=panel.commission)
        assert english(caught.value) == "Only the commission's chair approves its result."


def test_approval_waits_for_every_members_complete_score_sheet():
    _minister, _contest, panel, (first, second) = _scored_region(applications=2)
    f.score_all(panel, first, [5, 5, 5])
    services.scores_record(
        actor=panel.chair,
        commission=panel.commission,
        application=second,
        scores=_scores(panel.commission, [5, 5, 5]),
    )
    # One member leaves out one criterion of the second application.
    criteria = selectors.criteria_of(panel.commission)
    services.scores_record(
        actor=panel.members[0],
        commission=panel.commission,
        application=second,
        scores=[services.ScoreInput(criteria[0].pk, Decimal(5))],
    )
    with changes_nothing(), pytest.raises(Conflict) as caught:
        services.commission_approve(actor=panel.chair, commission=panel.commission)
    assert caught.value.code == "scoring_incomplete"
    # Member 0 is short of one sheet, member 1 of one.
    assert english(caught.value).startswith("2 score sheets are not complete yet")
    panel.commission.refresh_from_db()
    assert panel.commission.approved_at is None


def test_a_conflicted_member_is_not_waited_for():
    _minister, _contest, panel, (application,) = _scored_region()
    services.conflict_declare(
        actor=panel.members[0],
        commission=panel.commission,
        application=application,
        reason="Бұрынғы жұмыс орным.",
    )
    for member in (panel.chair, panel.members[1]):
        services.scores_record(
            actor=member,
            commission=panel.commission,
            application=application,
            scores=_scores(panel.commission, [6, 6, 6]),
        )
    rows = services.commission_approve(actor=panel.chair, commission=panel.commission)
    assert [(r.application_id, r.rank) for r in rows] == [(application.pk, 1)]


def test_nothing_changes_after_approval():
    minister, contest, panel, (first, second) = _scored_region(applications=2)
    f.score_all(panel, first, [8, 8, 8])
    f.score_all(panel, second, [6, 6, 6])
    services.commission_approve(actor=panel.chair, commission=panel.commission)
    late = f.contest_application(contest)
    newcomer = f.plain_user("newcomer")
    seat = CommissionMember.objects.get(commission=panel.commission, user=panel.members[1])
    attempts = {
        "scores": lambda: services.scores_record(
            actor=panel.members[0],
            commission=panel.commission,
            application=first,
            scores=_scores(panel.commission, [1, 1, 1]),
        ),
        "conflict": lambda: services.conflict_declare(
            actor=panel.members[0], commission=panel.commission, application=second, reason="Кеш анықталды."
        ),
        "eligibility": lambda: services.eligibility_decide(
            actor=panel.secretary, application=late, eligible=True
        ),
        "member added": lambda: services.commission_member_add(
            actor=minister, commission=panel.commission, user=newcomer, role="member"
        ),
        "member removed": lambda: services.commission_member_remove(actor=minister, seat=seat),
        "approved again": lambda: services.commission_approve(actor=panel.chair, commission=panel.commission),
    }
    for name, attempt in attempts.items():
        with changes_nothing(), pytest.raises(Conflict) as caught:
            attempt()
        assert caught.value.code == "approved", name
        assert "can no longer change" in english(caught.value), name


def test_a_regions_first_place_advances_and_its_second_does_not():
    _minister, _contest, panel, (first, second, third) = _scored_region(applications=3)
    f.score_all(panel, first, [6, 6, 6])
    f.score_all(panel, second, [9, 9, 9])
    f.score_all(panel, third, [3, 3, 3])
    rows = services.commission_approve(actor=panel.chair, commission=panel.commission)
    assert [(r.application_id, r.rank, r.place) for r in rows] == [
        (second.pk, 1, 1),
        (first.pk, 2, 2),
        (third.pk, 3, 3),
    ]
    advanced = set(Application.objects.filter(advanced=True).values_list("pk", flat=True))
    assert advanced == {second.pk}
    assert AuditEntry.objects.filter(action="contest.advance").count() == 1


def test_the_republican_commission_names_the_first_second_and_third_laureates():
    minister = f.ministry()
    contest = f.contest(actor=minister)
    winners = []
    for kato, values in (
        (ALMATY, [9, 9, 9]),
        (ASTANA, [7, 7, 7]),
        (TURKISTAN, [8, 8, 8]),
        (PAVLODAR, [6, 6, 6]),
    ):
        panel = f.regional_panel(contest, kato=kato, actor=minister, members=1)
        winner = f.eligible(f.contest_application(contest, kato=kato), panel.secretary)
        runner_up = f.eligible(f.contest_application(contest, kato=kato), panel.secretary)
        f.score_all(panel, winner, values)
        f.score_all(panel, runner_up, [1, 1, 1])
        services.commission_approve(actor=panel.chair, commission=panel.commission)
        winners.append(winner)
    assert Application.objects.filter(advanced=True).count() == 4
    republican = services.commission_create(actor=minister, level="republican", contest=contest)
    panel = f.panel(republican, minister)
    # The republican commission scores afresh: Astana's winner comes first this time.
    for winner, values in zip(winners, ([8, 8, 8], [10, 10, 10], [5, 5, 5], [7, 7, 7]), strict=True):
        winner.refresh_from_db()
        f.score_all(panel, winner, values)
    rows = services.commission_approve(actor=panel.chair, commission=republican)
    assert [(r.application_id, r.place) for r in rows] == [
        (winners[1].pk, 1),
        (winners[0].pk, 2),
        (winners[3].pk, 3),
        (winners[2].pk, None),
    ]


def test_the_republican_commission_sees_only_advanced_applications():
    minister, contest, panel, (first, second) = _scored_region(applications=2)
    f.score_all(panel, first, [9, 9, 9])
    f.score_all(panel, second, [5, 5, 5])
    services.commission_approve(actor=panel.chair, commission=panel.commission)
    republican = f.panel(
        services.commission_create(actor=minister, level="republican", contest=contest), minister
    )
    second.refresh_from_db()
    with changes_nothing(), pytest.raises(NotFound) as caught:
        services.scores_record(
            actor=republican.chair,
            commission=republican.commission,
            application=second,
            scores=_scores(republican.commission, [5, 5, 5]),
        )
    assert english(caught.value) == english(NotFound(policy.APPLICATION_HIDDEN))
