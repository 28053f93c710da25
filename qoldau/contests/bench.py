"""Workloads of `qoldau bench contests`: the live ranking of one commission with 2,000
eligible applications × 7 scoring members × 10 criteria (140,000 scores), and a member's
worklist page (`contests:commission`) over 300 applications.

The data is benchmark data, written straight into the tables with bulk_create (no services,
no audit rows, no notifications) under a contest of its own (year 2099, titled
`BENCH_TITLE`), so it never mixes with real contests. It is kept between runs (a second run
with the same sizes generates nothing) unless `bench_remove` deletes it.

The baseline, measured in the same run, is the naive way to rank: one ORM query of scores per
application, each application's rows then fed to the same pure method
(`qoldau.contests.ranking.rank_applications`). The ratio says how much the one-query ranking
saves; the method's arithmetic is the same in both.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from qoldau.contests import rules, selectors
from qoldau.contests.models import (
    ApplicantKind,
    Application,
    Commission,
    CommissionMember,
    ConflictOfInterest,
    Contest,
    Criterion,
    RankedApplication,
    Score,
    Stage,
)
from qoldau.contests.ranking import CriterionScale, rank_applications
from qoldau.core.bench import Figure, Writer, counting_queries, timed
from qoldau.core.models import Place

BENCH_TITLE = "Qoldau bench: contests"
BENCH_YEAR = 2099
BENCH_USER_PREFIX = "bench-contests-"
SEED = 2017
RANKING_REGION = "750000000"  # Almaty: the commission ranked
WORKLIST_REGION = "710000000"  # Astana: the commission whose member opens the worklist

APPLICATIONS = 2_000
MEMBERS = 7
CRITERIA = 10
WORKLIST_APPLICATIONS = 300

TARGET_RANKING_MS = 1000.0
TARGET_PAGE_MS = 300.0


@dataclass(frozen=True)
class BenchData:
    contest: Contest
    ranking_commission: Commission
    worklist_commission: Commission
    member: User


# Data -----------------------------------------------------------------------------------


def _bench_contest() -> Contest | None:
    return Contest.objects.filter(year=BENCH_YEAR, title_kk=BENCH_TITLE).first()


def _commissions_by_region(contest: Contest) -> dict[str, Commission]:
    return {
        c.region.kato or "": c for c in contest.commissions.select_related("region") if c.region is not None
    }


def _sizes_match(contest: Contest, applications: int, members: int, criteria: int, worklist: int) -> bool:
    commissions = _commissions_by_region(contest)
    ranking, page = commissions.get(RANKING_REGION), commissions.get(WORKLIST_REGION)
    if ranking is None or page is None:
        return False
    scorers = ranking.members.exclude(role=CommissionMember.Role.SECRETARY).count()
    return (
        contest.criteria.count() == criteria
        and scorers == members
        and selectors.reviewed_applications(ranking).count() == applications
        and selectors.reviewed_applications(page).count() == worklist
        and Score.objects.filter(commission=ranking).count() == applications * members * criteria
        and not ranking.approved
    )


def _data(contest: Contest) -> BenchData:
    commissions = _commissions_by_region(contest)
    page = commissions[WORKLIST_REGION]
    member = (
        CommissionMember.objects.filter(commission=page, role=CommissionMember.Role.MEMBER)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if member is None:
        raise RuntimeError("The bench worklist commission has no member.")
    return BenchData(contest, commissions[RANKING_REGION], page, member.user)


def bench_generate(
    *,
    applications: int = APPLICATIONS,
    members: int = MEMBERS,
    criteria: int = CRITERIA,
    worklist: int = WORKLIST_APPLICATIONS,
    out: Writer,
) -> BenchData:
    """The bench contest with its two commissions, their members and eligible applications,
    and every member's complete scores in the ranking commission; reused when it is there
    with the same sizes."""
    existing = _bench_contest()
    if existing is not None and _sizes_match(existing, applications, members, criteria, worklist):
        return _data(existing)
    if existing is not None:
        bench_remove()
    started = time.perf_counter()
    rng = random.Random(SEED)  # noqa: S311 (benchmark data, not secrets)
    almaty = Place.objects.get(kato=RANKING_REGION)
    astana = Place.objects.get(kato=WORKLIST_REGION)
    now = timezone.now()
    with transaction.atomic():
        contest = Contest.objects.create(
            year=BENCH_YEAR,
            title_kk=BENCH_TITLE,
            title_ru=BENCH_TITLE,
            title_en=BENCH_TITLE,
            eligible_kinds=list(ApplicantKind.values),
        )
        Stage.objects.create(
            contest=contest,
            level=Stage.Level.REGIONAL,
            opens_at=now - dt.timedelta(days=60),
            deadline=now - dt.timedelta(days=30),
        )
        rows = Criterion.objects.bulk_create(
            Criterion(
                contest=contest,
                name_kk=f"Өлшем {n}",
                name_ru=f"Критерий {n}",
                name_en=f"Criterion {n}",
                weight=Decimal(1 + n % 4),
                scale_min=0,
                scale_max=10,
                order=n,
            )
            for n in range(1, criteria + 1)
        )
        criterion_ids = [c.pk for c in rows]
        users = [User(username=f"{BENCH_USER_PREFIX}{contest.pk}-{n}") for n in range(members + 2)]
        for user in users:
            user.set_unusable_password()  # force_login only
        users = User.objects.bulk_create(users)
        applicant, secretary, scorers = users[0], users[1], users[2:]
        ranking = Commission.objects.create(level=Commission.Level.REGIONAL, contest=contest, region=almaty)
        page = Commission.objects.create(level=Commission.Level.REGIONAL, contest=contest, region=astana)
        for commission in (ranking, page):
            CommissionMember.objects.bulk_create(
                [
                    CommissionMember(
                        commission=commission, user=secretary, role=CommissionMember.Role.SECRETARY
                    ),
                    *(
                        CommissionMember(
                            commission=commission,
                            user=user,
                            role=CommissionMember.Role.CHAIR if n == 0 else CommissionMember.Role.MEMBER,
                        )
                        for n, user in enumerate(scorers)
                    ),
                ]
            )

        def applications_of(commission: Commission, region: Place, count: int) -> list[Application]:
            return Application.objects.bulk_create(
                (
                    Application(
                        contest=contest,
                        region=region,
                        applicant_kind=ApplicantKind.INDIVIDUAL,
                        applicant=applicant,
                        applicant_name=f"Өтініш беруші {n}",
                        title_kk=f"Әлеуметтік жоба {n}",
                        title_ru=f"Социальный проект {n}",
                        title_en=f"Social project {n}",
                        description_kk="Мүгедектігі бар адамдарға көмек.",
                        results="Нәтиже.",
                        status=Application.Status.ELIGIBLE,
                        number=f"BENCH-{commission.pk}-{n:05d}",
                        submitted_at=now - dt.timedelta(days=31, seconds=count - n),
                    )
                    for n in range(1, count + 1)
                ),
                batch_size=1000,
            )

        ranked = applications_of(ranking, almaty, applications)
        listed = applications_of(page, astana, worklist)

        def scores() -> Iterable[Score]:
            for application in ranked:
                quality = rng.uniform(2, 9)
                for member in scorers:
                    severity = rng.uniform(-1.5, 1.5)
                    for criterion_id in criterion_ids:
                        value = min(10.0, max(0.0, quality + severity + rng.gauss(0, 1)))
                        yield Score(
                            commission=ranking,
                            application=application,
                            member=member,
                            criterion_id=criterion_id,
                            value=Decimal(round(value * 2) / 2).quantize(Decimal("0.01")),
                        )
            # On the worklist: the member has scored the first half completely, the next
            # tenth partly, and declared a conflict with three.
            member = scorers[1] if len(scorers) > 1 else scorers[0]
            for index, application in enumerate(listed):
                done = (
                    len(criterion_ids) if index < worklist // 2 else (3 if index < worklist * 6 // 10 else 0)
                )
                for criterion_id in criterion_ids[:done]:
                    yield Score(
                        commission=page,
                        application=application,
                        member=member,
                        criterion_id=criterion_id,
                        value=Decimal(rng.randint(0, 10)),
                    )

        batch: list[Score] = []
        for score in scores():
            batch.append(score)
            if len(batch) == 10_000:
                Score.objects.bulk_create(batch)
                batch = []
        Score.objects.bulk_create(batch)
        member = scorers[1] if len(scorers) > 1 else scorers[0]
        ConflictOfInterest.objects.bulk_create(
            ConflictOfInterest(commission=page, member=member, application=application, reason="Bench.")
            for application in listed[-3:]
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Application, Score, CommissionMember, ConflictOfInterest):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    out.write(
        f"generated {applications:,} applications × {members} members × {criteria} criteria "
        f"({Score.objects.filter(commission=ranking).count():,} scores) to rank and {worklist:,} "
        f"applications on the worklist in {time.perf_counter() - started:.1f} s"
    )
    return _data(contest)


def bench_remove() -> None:
    """Delete the bench contest and everything generated with it."""
    contest = _bench_contest()
    if contest is None:
        return
    users = f"{BENCH_USER_PREFIX}{contest.pk}-"
    with transaction.atomic():
        Score.objects.filter(commission__contest=contest).delete()
        RankedApplication.objects.filter(commission__contest=contest).delete()
        ConflictOfInterest.objects.filter(commission__contest=contest).delete()
        CommissionMember.objects.filter(commission__contest=contest).delete()
        Commission.objects.filter(contest=contest).delete()
        Application.objects.filter(contest=contest).delete()
        contest.delete()
        User.objects.filter(username__startswith=users).delete()


# Measurements ---------------------------------------------------------------------------


def naive_ranking(commission: Commission) -> Any:
    """The baseline: the same pure method, fed by one ORM query of scores per application."""
    scales = []
    for criterion in selectors.criteria_of(commission):
        low, high = rules.scale_of(commission, criterion)
        scales.append(CriterionScale(criterion.pk, float(criterion.weight), float(low), float(high)))
    applications = {}
    rows: list[tuple[int, int, int, float]] = []
    for application in selectors.reviewed_applications(commission):
        applications[application.pk] = (application.submitted_at, application.number or "")
        rows.extend(
            (application.pk, score.member_id, score.criterion_id, float(score.value))
            for score in Score.objects.filter(commission=commission, application=application)
        )
    return rank_applications(
        criteria=scales,
        scores=rows,
        applications=applications,
        outlier_points=settings.QOLDAU_CONTEST_OUTLIER_POINTS,
    )


def bench_ranking(data: BenchData, *, samples: int, baseline_samples: int) -> list[Figure]:
    commission = data.ranking_commission
    applications = selectors.reviewed_applications(commission).count()
    scores = Score.objects.filter(commission=commission).count()
    members = commission.members.exclude(role=CommissionMember.Role.SECRETARY).count()
    criteria = len(selectors.criteria_of(commission))
    result = selectors.commission_ranking(commission)
    baseline_result = naive_ranking(commission)
    if [(line.application_id, round(line.score, 9)) for line in result.lines] != [
        (line.application_id, round(line.score, 9)) for line in baseline_result.lines
    ]:
        raise RuntimeError("The ranking and the baseline disagree.")
    if len(result.lines) != applications:
        raise RuntimeError("Not every application was ranked.")
    with counting_queries() as queries:
        selectors.commission_ranking(commission)
    with counting_queries() as baseline_queries:
        naive_ranking(commission)
    ours = timed(lambda: selectors.commission_ranking(commission), samples)
    naive = timed(lambda: naive_ranking(commission), baseline_samples)
    size = f"{applications:,} applications × {members} members × {criteria} criteria ({scores:,} scores)"
    return [
        Figure(
            f"ranking {size}: selectors.commission_ranking",
            *ours,
            TARGET_RANKING_MS,
            f"{queries[0]} queries",
        ),
        Figure(
            "baseline: the same method fed by one ORM query per application",
            *naive,
            None,
            f"{baseline_queries[0]} queries; p50 {naive[0] / ours[0]:.1f}× the ranking's",
        ),
    ]


def bench_page(data: BenchData, *, samples: int) -> list[Figure]:
    """The member's worklist page through Django's test client, signed in as the member."""
    commission = data.worklist_commission
    count = selectors.reviewed_applications(commission).count()
    client = Client()
    client.force_login(data.member)
    url = reverse("contests:commission", kwargs={"commission_id": commission.pk})
    response = client.get(url)
    if response.status_code == 200:
        if response.content.count(b"<tr") < count:
            raise RuntimeError("The worklist page does not list every application.")
        with counting_queries() as queries:
            client.get(url)

        def page() -> None:
            answer = client.get(url)
            if answer.status_code != 200:
                raise RuntimeError(f"The worklist page answered {answer.status_code}.")

        return [
            Figure(
                f"member's worklist page ({count:,} applications), GET {url}",
                *timed(page, samples),
                TARGET_PAGE_MS,
                f"{queries[0]} queries, {len(response.content):,} bytes",
            )
        ]
    # The page is not there yet (501): what it will call, without the template.
    with counting_queries() as queries:
        worklist = selectors.member_worklist(data.member, commission)
    if len(worklist.rows) != count:
        raise RuntimeError("The worklist does not list every application.")
    return [
        Figure(
            f"member's worklist ({count:,} applications): selectors.member_worklist only",
            *timed(lambda: selectors.member_worklist(data.member, commission), samples),
            TARGET_PAGE_MS,
            f"page answered {response.status_code}, not measured; {queries[0]} queries",
        )
    ]
