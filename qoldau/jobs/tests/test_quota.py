"""The employment quota: required jobs computed by hand for every band and both ways of
rounding, filled by employees reported and placements, exemptions, warnings and fines in
MCI; a region's employers by shortfall; and staff reports and sanctions refused on bad
input with nothing changed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import translation

from qoldau.core.errors import ApplicationError, PermissionDenied
from qoldau.core.models import Place
from qoldau.jobs import figures, quota, selectors, services
from qoldau.jobs.models import QuotaSanction, StaffReport
from qoldau.jobs.tests import factories as f

BANDS = [
    quota.Band(50, 100, Decimal(2)),
    quota.Band(101, 250, Decimal(3)),
    quota.Band(251, None, Decimal(4)),
]


def en(error: ApplicationError) -> str:
    with translation.override("en"):
        return error.render()


def refused(call) -> ApplicationError:
    with pytest.raises(ApplicationError) as caught:
        call()
    return caught.value


# (headcount, hazardous jobs, required rounded down, to the nearest, up), worked by hand.
HAND_COMPUTED = [
    (49, 0, 0, 0, 0),  # below the first band: no quota
    (50, 0, 1, 1, 1),  # 2 % of 50 = 1
    (73, 0, 1, 1, 2),  # 2 % of 73 = 1.46
    (75, 0, 1, 2, 2),  # 2 % of 75 = 1.5: a half rounds up to the nearest
    (100, 0, 2, 2, 2),  # 2 % of 100 = 2
    (101, 0, 3, 3, 4),  # 3 % of 101 = 3.03
    (175, 25, 4, 5, 5),  # 3 % of (175 − 25) = 4.5
    (250, 50, 6, 6, 6),  # 3 % of 200 = 6
    (251, 1, 10, 10, 10),  # the band is the headcount's: 4 % of 250 = 10
    (260, 60, 8, 8, 8),  # 4 % of 200 = 8
    (60, 60, 0, 0, 0),  # every job hazardous: nothing to fill
    (1_000, 333, 26, 27, 27),  # 4 % of 667 = 26.68
]


@pytest.mark.parametrize(("headcount", "hazardous", "down", "nearest", "up"), HAND_COMPUTED)
def test_required_quota_jobs_match_the_hand_computed_cases(headcount, hazardous, down, nearest, up):
    assert quota.quota_required(headcount, hazardous, BANDS, "down") == down
    assert quota.quota_required(headcount, hazardous, BANDS, "nearest") == nearest
    assert quota.quota_required(headcount, hazardous, BANDS, "up") == up


def test_compliance_counts_filled_jobs_and_a_shortfall_unless_exempt():
    found = quota.compliance(
        employer_id=1,
        year=2025,
        headcount=175,
        hazardous_jobs=25,
        employees_with_disabilities=1,
        placements=2,
        bands=BANDS,
        rounding="nearest",
        warnings=1,
        fines_mci=[5, 7],
        fines_amount=Decimal(47_184),
    )
    assert (found.required, found.filled, found.shortfall, found.rate_percent) == (5, 3, 2, Decimal(3))
    assert (found.warnings, found.fines, found.fines_mci) == (1, 2, 12)
    exempt = quota.compliance(
        employer_id=1,
        year=2025,
        headcount=175,
        hazardous_jobs=25,
        employees_with_disabilities=0,
        placements=0,
        bands=BANDS,
        rounding="down",
        exemption="organisation_of_disabled",
    )
    assert (exempt.required, exempt.shortfall) == (4, 0)
    over = quota.compliance(
        employer_id=1,
        year=2025,
        headcount=73,
        hazardous_jobs=0,
        employees_with_disabilities=3,
        placements=0,
        bands=BANDS,
        rounding="up",
    )
    assert (over.required, over.shortfall) == (2, 0)


@pytest.mark.django_db
def test_the_seeded_bands_are_the_social_codes_and_dated():
    assert figures.bands_on(dt.date(2023, 6, 30)) == []
    assert figures.bands_on(dt.date(2025, 1, 1)) == BANDS


# On the database --------------------------------------------------------------------------


@pytest.fixture
def s(db):
    return f.scene(buildings=False)


def _report(s, actor, employer, headcount, hazardous=0, disabled=0, as_of=dt.date(2025, 1, 15)):
    return services.staff_report_record(
        actor=s[actor],
        employer=employer,
        as_of=as_of,
        headcount=headcount,
        hazardous_jobs=hazardous,
        employees_with_disabilities=disabled,
    )


def _region_lines(s, user="akimat.almaty"):
    almaty = Place.objects.get(kato=f.ALMATY)
    return [
        (line.employer, line.compliance.required, line.compliance.filled, line.compliance.shortfall)
        for line in selectors.quota_compliance_of_region(s[user], almaty, 2025)
    ]


@pytest.mark.django_db
def test_a_regions_employers_are_listed_by_shortfall_with_both_roundings(s):
    _report(s, "employer.a", s.employer_a, 175, hazardous=25, disabled=1)
    _report(s, "employer.b", s.employer_b, 73)
    _report(s, "akimat.almaty", s.centre, 300, disabled=20)
    _report(s, "turkistan.admin", s.turkistan_ngo, 500)
    coach = s["centre.coach"]

    def placed(start, quota_job=True, ended=None):
        person = f.seeker(coach, s.centre)
        placement = f.placement(
            s, f.case(s, person, opened_on=dt.date(2025, 1, 1)), start=start, quota=quota_job
        )
        if ended:
            services.placement_end(actor=coach, placement=placement, ended_on=ended, reason="resigned")

    placed(dt.date(2025, 4, 1))  # counts
    placed(dt.date(2025, 1, 10))  # before the report: already among the employees reported
    placed(dt.date(2025, 5, 1), quota_job=False)  # not a quota job
    placed(dt.date(2025, 6, 1), ended=dt.date(2025, 9, 1))  # no longer there at the year's end
    with override_settings(QOLDAU_JOBS_QUOTA_ROUNDING="down"):
        assert _region_lines(s) == [(s.employer_a, 4, 2, 2), (s.employer_b, 1, 0, 1), (s.centre, 12, 20, 0)]
    with override_settings(QOLDAU_JOBS_QUOTA_ROUNDING="nearest"):
        assert _region_lines(s) == [(s.employer_a, 5, 2, 3), (s.employer_b, 1, 0, 1), (s.centre, 12, 20, 0)]
    with override_settings(QOLDAU_JOBS_QUOTA_ROUNDING="up"):
        assert _region_lines(s)[:2] == [(s.employer_a, 5, 2, 3), (s.employer_b, 2, 0, 2)]
    # The latest report of the year counts.
    _report(s, "employer.b", s.employer_b, 120, as_of=dt.date(2025, 6, 30))
    with override_settings(QOLDAU_JOBS_QUOTA_ROUNDING="down"):
        assert (s.employer_b, 3, 0, 3) in _region_lines(s)
    # The ministry sees the region; Turkistan's officer does not.
    assert len(_region_lines(s, "ministry")) == 3
    error = refused(lambda: _region_lines(s, "akimat.turkistan"))
    assert isinstance(error, PermissionDenied)


@pytest.mark.django_db
def test_exemptions_warnings_and_fines_follow_the_law(s):
    _report(s, "employer.a", s.employer_a, 175, hazardous=25)
    _report(s, "employer.b", s.employer_b, 73)
    _report(s, "centre.admin", s.centre, 300, disabled=20)
    officer = s["akimat.almaty"]
    services.quota_exemption_record(
        actor=officer, employer=s.employer_b, year=2025, reason="mostly_disabled_staff"
    )
    before = QuotaSanction.objects.count()
    cases = [
        (
            lambda: services.quota_sanction_record(
                actor=officer,
                employer=s.employer_a,
                year=2025,
                kind="fine",
                issued_on=dt.date(2025, 9, 1),
                fine_mci=7,
            ),
            "no_warning",
            "A fine follows a warning issued within the year before it; issue a warning first.",
        ),
        (
            lambda: services.quota_sanction_record(
                actor=officer, employer=s.employer_b, year=2025, kind="warning", issued_on=dt.date(2025, 9, 1)
            ),
            "exempt",
            "The employer is exempt from the quota for 2025.",
        ),
        (
            lambda: services.quota_sanction_record(
                actor=officer, employer=s.centre, year=2025, kind="warning", issued_on=dt.date(2025, 9, 1)
            ),
            "quota_filled",
            "The employer fills its quota for 2025: there is nothing to sanction.",
        ),
        (
            lambda: services.quota_sanction_record(
                actor=officer, employer=s.employer_a, year=2024, kind="warning", issued_on=dt.date(2025, 9, 1)
            ),
            "no_staff_report",
            "The employer has not reported its staff for 2024: its quota is not known.",
        ),
        (
            lambda: services.quota_sanction_record(
                actor=officer,
                employer=s.employer_a,
                year=2025,
                kind="warning",
                issued_on=dt.date(2025, 9, 1),
                fine_mci=5,
            ),
            "warning_has_no_fine",
            "A warning has no fine.",
        ),
    ]
    for call, code, message in cases:
        error = refused(call)
        assert (error.code, en(error)) == (code, message)
    assert QuotaSanction.objects.count() == before
    error = refused(
        lambda: services.quota_sanction_record(
            actor=s["ministry"],
            employer=s.employer_a,
            year=2025,
            kind="warning",
            issued_on=dt.date(2025, 9, 1),
        )
    )
    assert isinstance(error, PermissionDenied)
    services.quota_sanction_record(
        actor=officer, employer=s.employer_a, year=2025, kind="warning", issued_on=dt.date(2025, 9, 1)
    )
    for mci in (4, 11):
        error = refused(
            lambda mci=mci: services.quota_sanction_record(
                actor=officer,
                employer=s.employer_a,
                year=2025,
                kind="fine",
                issued_on=dt.date(2025, 11, 1),
                fine_mci=mci,
            )
        )
        assert en(error) == "A fine is from 5 to 10 MCI."
    fine = services.quota_sanction_record(
        actor=officer,
        employer=s.employer_a,
        year=2025,
        kind="fine",
        issued_on=dt.date(2025, 11, 1),
        fine_mci=7,
    )
    assert fine.fine_amount == Decimal(3932) * 7  # the MCI of 2025
    [history] = selectors.quota_history(s["employer.a"], s.employer_a, [2025])
    assert (history.required, history.shortfall, history.warnings, history.fines, history.fines_mci) == (
        4,
        4,
        1,
        1,
        7,
    )
    assert history.fines_amount == Decimal(27_524)
    [exempt] = selectors.quota_history(officer, s.employer_b, [2024, 2025])
    assert (exempt.exemption, exempt.shortfall) == ("mostly_disabled_staff", 0)
    error = refused(
        lambda: services.quota_exemption_record(
            actor=officer, employer=s.employer_b, year=2025, reason="organisation_of_disabled"
        )
    )
    assert en(error) == "The employer is already exempt for 2025."
    error = refused(lambda: selectors.quota_history(s["employer.b"], s.employer_a, [2025]))
    assert error.status == 404


@pytest.mark.django_db
def test_bad_staff_reports_are_refused_and_change_nothing(s):
    _report(s, "employer.a", s.employer_a, 80, disabled=1)
    cases = [
        (
            dict(headcount=5, disabled=6),
            "headcount",
            "The headcount (5) is below the employees with disabilities reported (6), who fill quota jobs "
            "among the staff.",
        ),
        (
            dict(headcount=50, hazardous=51),
            "hazardous_jobs",
            "The jobs in hazardous work (51) are more than the headcount (50).",
        ),
        (
            dict(headcount=80, as_of=dt.date(2025, 1, 15)),
            "as_of",
            "The employer's staff on 2025-01-15 are already reported.",
        ),
        (dict(headcount=80, as_of=dt.date(2030, 1, 1)), "as_of", "The date is in the future."),
        (dict(headcount=-1), "headcount", "Give a number from 0 to 20000000."),
    ]
    for kwargs, field, message in cases:
        kwargs = {"as_of": dt.date(2025, 2, 1)} | kwargs
        error = refused(lambda kwargs=kwargs: _report(s, "employer.a", s.employer_a, **kwargs))
        assert (error.field, en(error)) == (field, message)
    error = refused(lambda: _report(s, "employer.b", s.employer_a, 90))
    assert isinstance(error, PermissionDenied)
    assert StaffReport.objects.count() == 1


@pytest.mark.django_db
def test_an_employer_is_found_by_a_valid_bin_within_scope(s):
    officer = s["akimat.almaty"]
    assert selectors.employer_by_bin(officer, s.employer_a.bin) == s.employer_a
    assert (
        selectors.employer_by_bin(officer, " " + s.employer_a.bin[:6] + " " + s.employer_a.bin[6:])
        == s.employer_a
    )
    wrong = s.employer_a.bin[:11] + str((int(s.employer_a.bin[11]) + 1) % 10)
    with translation.override("en"):
        error = refused(lambda: selectors.employer_by_bin(officer, wrong))
        assert (error.code, error.render()) == (
            "invalid_check_digit",
            f"BIN {wrong} has a wrong check digit: please check it for typos.",
        )
        error = refused(lambda: selectors.employer_by_bin(officer, "12345"))
        assert error.render() == "BIN must be exactly 12 digits."
    error = refused(lambda: selectors.employer_by_bin(s["akimat.turkistan"], s.employer_a.bin))
    assert error.status == 404
