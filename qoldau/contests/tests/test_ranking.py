"""The one ranking method (`qoldau.contests.ranking`), pure: no database."""

from __future__ import annotations

import datetime as dt
import statistics

import pytest

from qoldau.contests.ranking import CriterionScale, rank_applications

DAY = dt.datetime(2026, 6, 20, 10, 0, tzinfo=dt.UTC)

# Weights 3, 2, 1 on a 0–10 scale.
CRITERIA = [CriterionScale(1, 3.0, 0, 10), CriterionScale(2, 2.0, 0, 10), CriterionScale(3, 1.0, 0, 10)]


def _rows(application: int, member: int, values: list[float], criteria=CRITERIA):
    return [(application, member, c.id, v) for c, v in zip(criteria, values, strict=True)]


def _apps(*ids: int, at: dt.datetime = DAY):
    return {pk: (at, f"K-2026-75-{pk:04d}") for pk in ids}


def test_a_members_mark_is_the_weighted_mean_of_the_shares_of_the_scale():
    result = rank_applications(
        criteria=CRITERIA, scores=_rows(10, 1, [10, 5, 0]), applications=_apps(10), outlier_points=25
    )
    (line,) = result.lines
    # (3 × 1.0 + 2 × 0.5 + 1 × 0.0) / 6 = 66.67 %
    assert line.marks == {1: pytest.approx(400 / 6)}
    assert line.score == pytest.approx(66.6667, abs=1e-3)
    assert line.rank == 1


def test_the_applications_score_is_the_plain_mean_of_its_members_marks():
    scores = _rows(10, 1, [10, 10, 10]) + _rows(10, 2, [5, 5, 5]) + _rows(10, 3, [0, 0, 0])
    result = rank_applications(criteria=CRITERIA, scores=scores, applications=_apps(10), outlier_points=99)
    assert result.lines[0].score == pytest.approx(50.0)


def test_a_higher_score_ranks_first():
    scores = _rows(10, 1, [5, 5, 5]) + _rows(11, 1, [9, 9, 9]) + _rows(12, 1, [7, 7, 7])
    result = rank_applications(
        criteria=CRITERIA, scores=scores, applications=_apps(10, 11, 12), outlier_points=25
    )
    assert [(line.application_id, line.rank) for line in result.lines] == [(11, 1), (12, 2), (10, 3)]


def test_commissions_on_different_scales_with_proportional_scores_rank_the_same():
    one_to_five = [CriterionScale(c.id, c.weight, 1, 5) for c in CRITERIA]
    five = rank_applications(
        criteria=one_to_five,
        scores=_rows(10, 1, [5, 3, 1], one_to_five)
        + _rows(11, 1, [3, 3, 3], one_to_five)
        + _rows(12, 1, [2, 4, 5], one_to_five),
        applications=_apps(10, 11, 12),
        outlier_points=25,
    )
    # The same judgements on 0–10: share (v − 1) / 4 on 1–5 is v' / 10 on 0–10.
    ten = rank_applications(
        criteria=CRITERIA,
        scores=_rows(10, 1, [10, 5, 0]) + _rows(11, 1, [5, 5, 5]) + _rows(12, 1, [2.5, 7.5, 10]),
        applications=_apps(10, 11, 12),
        outlier_points=25,
    )
    assert [line.application_id for line in five.lines] == [line.application_id for line in ten.lines]
    for a, b in zip(five.lines, ten.lines, strict=True):
        assert a.score == pytest.approx(b.score)
        assert a.standardised == pytest.approx(b.standardised)


def test_a_tie_is_broken_by_the_heaviest_criterion_first():
    weights = [CriterionScale(1, 2.0, 0, 10), CriterionScale(2, 1.0, 0, 10), CriterionScale(3, 1.0, 0, 10)]
    # Both 50 %: 11 earns it on the heaviest criterion, 10 on the two lighter ones.
    scores = _rows(10, 1, [0, 10, 10], weights) + _rows(11, 1, [10, 0, 0], weights)
    result = rank_applications(criteria=weights, scores=scores, applications=_apps(10, 11), outlier_points=25)
    assert result.lines[0].score == pytest.approx(result.lines[1].score)
    assert [line.application_id for line in result.lines] == [11, 10]


def test_a_tie_on_the_heaviest_criterion_goes_to_the_next_heaviest():
    # 3×.5 + 2×.5 + 1×.5 = 3.0 and 3×.5 + 2×.4 + 1×.7 = 3.0: equal on the heaviest, 10 leads on the next.
    scores = _rows(11, 1, [5, 4, 7]) + _rows(10, 1, [5, 5, 5])
    result = rank_applications(
        criteria=CRITERIA, scores=scores, applications=_apps(11, 10), outlier_points=25
    )
    assert [line.application_id for line in result.lines] == [10, 11]


def test_a_full_tie_goes_to_the_earlier_submission_then_to_the_receipt_number():
    scores = _rows(10, 1, [5, 5, 5]) + _rows(11, 1, [5, 5, 5]) + _rows(12, 1, [5, 5, 5])
    applications = {
        10: (DAY + dt.timedelta(hours=1), "K-2026-75-0001"),
        11: (DAY, "K-2026-75-0003"),
        12: (DAY, "K-2026-75-0002"),
    }
    result = rank_applications(criteria=CRITERIA, scores=scores, applications=applications, outlier_points=25)
    assert [line.application_id for line in result.lines] == [12, 11, 10]


def test_an_incomplete_set_is_reported_and_not_counted():
    scores = [*_rows(10, 1, [10, 10, 10]), (10, 2, 1, 0.0), (10, 2, 2, 0.0), (11, 3, 1, 5.0)]
    result = rank_applications(
        criteria=CRITERIA, scores=scores, applications=_apps(10, 11), outlier_points=25
    )
    (line,) = result.lines
    assert line.application_id == 10
    assert line.marks == {1: pytest.approx(100.0)}
    assert line.score == pytest.approx(100.0)
    assert sorted(result.incomplete) == [(10, 2), (11, 3)]
    assert result.unscored == [11]


def test_scores_of_unknown_criteria_or_applications_are_ignored():
    scores = [*_rows(10, 1, [5, 5, 5]), (10, 1, 99, 10.0), (77, 1, 1, 10.0)]
    result = rank_applications(criteria=CRITERIA, scores=scores, applications=_apps(10), outlier_points=25)
    assert [line.application_id for line in result.lines] == [10]
    assert result.lines[0].score == pytest.approx(50.0)


def test_outliers_are_not_flagged_with_two_members_however_far_apart():
    scores = _rows(10, 1, [10, 10, 10]) + _rows(10, 2, [0, 0, 0])
    result = rank_applications(criteria=CRITERIA, scores=scores, applications=_apps(10), outlier_points=25)
    assert result.lines[0].outliers == []


def test_a_mark_far_from_the_median_of_the_others_is_flagged_with_three_members():
    scores = _rows(10, 1, [8, 8, 8]) + _rows(10, 2, [8, 8, 8]) + _rows(10, 3, [2, 2, 2])
    result = rank_applications(criteria=CRITERIA, scores=scores, applications=_apps(10), outlier_points=40)
    # Member 3 (20 %) lies 60 points from the others' median (80 %); members 1 and 2 lie 30
    # from theirs (median of 80 and 20 is 50), within 40.
    assert result.lines[0].outliers == [3]
    # A flag changes no score.
    assert result.lines[0].score == pytest.approx(60.0)


def test_standardised_scores_have_mean_zero_and_unit_spread():
    scores = _rows(10, 1, [2, 2, 2]) + _rows(11, 1, [5, 5, 5]) + _rows(12, 1, [9, 9, 9])
    result = rank_applications(
        criteria=CRITERIA, scores=scores, applications=_apps(10, 11, 12), outlier_points=25
    )
    standardised = [line.standardised for line in result.lines]
    assert statistics.fmean(standardised) == pytest.approx(0.0, abs=1e-9)
    assert statistics.pstdev(standardised) == pytest.approx(1.0)
    assert standardised == sorted(standardised, reverse=True)


def test_a_single_application_or_equal_scores_standardise_to_zero():
    alone = rank_applications(
        criteria=CRITERIA, scores=_rows(10, 1, [7, 7, 7]), applications=_apps(10), outlier_points=25
    )
    assert alone.lines[0].standardised == 0.0
    equal = rank_applications(
        criteria=CRITERIA,
        scores=_rows(10, 1, [7, 7, 7]) + _rows(11, 1, [7, 7, 7]),
        applications=_apps(10, 11),
        outlier_points=25,
    )
    assert [line.standardised for line in equal.lines] == [0.0, 0.0]
