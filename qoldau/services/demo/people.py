"""The people of the social-services demo, written with bulk inserts (the demo must stay
fast: about 7,000 recipients, their enrolments and deliveries, in a few dozen statements).

* Recipients of 2025: each provider's recipients are generated people (valid IINs, ages
  and categories fitting the service) enrolled in its main service and given its
  services as deliveries of the provider's project, at least one in 2025, so that the
  reach figures count each once: the enrolments of 2025 and the people reached by the
  projects are the same 7,000 (article 002's "7 мың қызмет алушы").
* Enrolments never exceed the places: each place is a chain of stays one after the
  other through the year (the first began in 2024), so occupancy is at most the
  capacity on every day. The last stay of most chains is still open.
* The Active Longevity Centre's 24,000 pensioners are aggregate figures: twelve monthly
  programmes recorded as events of its project with anonymous participants (the reach
  report counts them so), not 24,000 person records.
* Wait lists with offers and declines at the full services (the Early Intervention
  Centre with its priority tiers, the Family Support Centre, an institution), and
  referrals in every state, dated from the day of loading where they are live.
"""

from __future__ import annotations

import datetime as dt
import string
from dataclasses import dataclass

from django.db.models import Min

from qoldau.core import demo_names as names
from qoldau.core.crypto import keyed_hash
from qoldau.core.identifiers import make_iin
from qoldau.core.models import Consent, Identity, Organisation, Person, PersonCategory, VulnerabilityCategory
from qoldau.projects.models import Event, ServiceDelivery
from qoldau.projects.services import reach_mark_stale
from qoldau.services.demo import data
from qoldau.services.demo.common import DemoState, ProviderPlan
from qoldau.services.models import Enrolment, Offer, Referral, Service, WaitListEntry

REFERENCE_DAY = dt.date(2025, 6, 30)
# The services full at the end of the year, where people wait.
FULL = ("early_intervention", "family_support", "medical_social_institution-1")
WAITING = {"early_intervention": 26, "family_support": 14, "medical_social_institution-1": 16}
REFERENCE_LETTERS = "".join(c for c in string.ascii_uppercase + string.digits if c not in "O0I1")


@dataclass
class NewPerson:
    iin: str
    birth_date: dt.date
    sex: str
    last_name: str
    first_name: str
    patronymic: str
    district_id: int | None
    categories: tuple[str, ...]


class People:
    """Generated people: valid IINs no identity has yet."""

    def __init__(self, state: DemoState) -> None:
        self.state = state
        self.serial = data.IIN_SERIALS
        self.used = set(Identity.objects.exclude(iin_hash=None).values_list("iin_hash", flat=True))
        self.categories = dict(VulnerabilityCategory.objects.values_list("code", "pk"))

    def new(
        self,
        ages: tuple[int, int],
        district_id: int | None,
        categories: tuple[str, ...],
        *,
        born_before: dt.date,
    ) -> NewPerson:
        rnd = self.state.rnd
        sex = "F" if rnd.random() < 0.55 else "M"
        if ages[1] < 3:
            birth = born_before - dt.timedelta(days=rnd.randint(60, 900))
        else:
            birth = born_before - dt.timedelta(days=rnd.randint(*ages) * 365 + rnd.randint(0, 364))
        while True:
            self.serial += 1
            iin = make_iin(birth, sex, self.serial)
            if iin is not None and keyed_hash(iin) not in self.used:
                break
        self.used.add(keyed_hash(iin))
        female = sex == "F"
        if rnd.random() < 0.72:
            first = rnd.choice(names.KAZAKH_FEMALE if female else names.KAZAKH_MALE)
            surname = rnd.choice(names.KAZAKH_SURNAMES)
            patronymic = names.kazakh_patronymic(rnd.choice(names.KAZAKH_MALE), female)
        else:
            first = rnd.choice(names.RUSSIAN_FEMALE if female else names.RUSSIAN_MALE)
            surname = rnd.choice(names.RUSSIAN_SURNAMES)
            patronymic = names.russian_patronymic(rnd.choice(names.RUSSIAN_MALE), female)
        chosen = tuple(c for c in categories if rnd.random() < 0.5)[:1] or categories[:1]
        return NewPerson(
            iin=iin,
            birth_date=birth,
            sex=sex,
            last_name=names.feminine_surname(surname) if female else surname,
            first_name=first,
            patronymic=patronymic,
            district_id=district_id,
            categories=chosen,
        )

    def records(
        self, organisation: Organisation, people: list[NewPerson], identities: list[Identity] | None = None
    ) -> list[Person]:
        """The organisation's records of the people (with their consent), on new identities
        unless given."""
        if identities is None:
            identities = Identity.objects.bulk_create(
                (Identity(iin_hash=keyed_hash(p.iin)) for p in people), batch_size=2000
            )
        records = Person.objects.bulk_create(
            (
                Person(
                    organisation=organisation,
                    identity=identity,
                    iin=p.iin,
                    iin_hash=keyed_hash(p.iin),
                    last_name=p.last_name,
                    first_name=p.first_name,
                    patronymic=p.patronymic,
                    birth_date=p.birth_date,
                    sex=p.sex,
                    region=self.state.almaty,
                    district_id=p.district_id,
                )
                for p, identity in zip(people, identities, strict=True)
            ),
            batch_size=2000,
        )
        Consent.objects.bulk_create(
            (
                Consent(person=r, organisation=organisation, given_on=dt.date(data.YEAR, 1, 5))
                for r in records
            ),
            batch_size=5000,
        )
        PersonCategory.objects.bulk_create(
            (
                PersonCategory(person=r, category_id=self.categories[code], since=p.birth_date)
                for r, p in zip(records, people, strict=True)
                for code in p.categories
                if code in self.categories
            ),
            batch_size=5000,
        )
        return records


def _stays(
    state: DemoState, plan: ProviderPlan, count: int, all_open: bool
) -> list[tuple[dt.date, dt.date | None]]:
    """`count` stays over the plan's places, each place a chain through the year."""
    rnd = state.rnd
    year_start = dt.date(data.YEAR, 1, 1)
    per_place: list[int] = [
        count // plan.places + (1 if i < count % plan.places else 0) for i in range(plan.places)
    ]
    stays: list[tuple[dt.date, dt.date | None]] = []
    span = (data.AS_OF - year_start).days - 10
    for k in per_place:
        if k == 0:
            continue
        first = year_start - dt.timedelta(days=rnd.randint(1, max(2, plan.stay_days)))
        cuts = sorted(year_start + dt.timedelta(days=5 + rnd.randint(0, span)) for _ in range(k - 1))
        starts = [first, *(c + dt.timedelta(days=1) for c in cuts)]
        ends: list[dt.date | None] = [*cuts, None]
        # Two stays cut on the same day would overlap: move the later one on a day.
        for i in range(1, len(starts)):
            previous_end = ends[i - 1]
            if previous_end is not None and starts[i] <= previous_end:
                starts[i] = previous_end + dt.timedelta(days=1)
            if ends[i] is not None and ends[i] < starts[i]:  # type: ignore[operator]
                ends[i] = starts[i]
        if not all_open and rnd.random() < 0.1:
            ends[-1] = max(starts[-1], data.AS_OF - dt.timedelta(days=rnd.randint(1, 20)))
        stays.extend(zip(starts, ends, strict=True))
    return stays


def load_recipients(state: DemoState, people: People) -> dict[int, list[tuple[Enrolment, Person]]]:
    """The recipients of 2025 with their enrolments and deliveries, by service."""
    rnd = state.rnd
    district_ids = [d.pk for d in state.districts.values()]
    delivery_type = state.delivery_type
    if delivery_type is None:
        raise RuntimeError("The catalogue terms are made first.")
    enrolled: dict[int, list[tuple[Enrolment, Person]]] = {}
    for plan in state.progress(state.plans, "services: recipients"):
        if plan.recipients == 0:
            continue
        home = plan.unit == "home_care_case"
        stays = _stays(state, plan, plan.recipients, all_open=plan.key in FULL)
        # Children are born before their first day at the centre (and under 3 then).
        generated = [
            people.new(
                plan.ages,
                plan.district.pk if home else rnd.choice(district_ids),
                plan.categories,
                born_before=start if plan.ages[1] < 3 else REFERENCE_DAY,
            )
            for start, _end in stays
        ]
        records = people.records(plan.provider.organisation, generated)
        enrolments = Enrolment.objects.bulk_create(
            (
                Enrolment(
                    service=plan.service,
                    person=record,
                    identity_id=record.identity_id,
                    starts_on=start,
                    ends_on=end,
                    end_reason=Enrolment.EndReason.PLAN_COMPLETED if end is not None else "",
                )
                for record, (start, end) in zip(records, stays, strict=True)
            ),
            batch_size=2000,
        )
        deliveries = []
        for record, (start, end) in zip(records, stays, strict=True):
            first = max(start, dt.date(data.YEAR, 1, 1))
            last = min(end or data.AS_OF, data.AS_OF)
            day = first
            for _ in range(rnd.choice([1, 2, 3])):
                if day > last:
                    break
                deliveries.append(
                    ServiceDelivery(
                        project=plan.project,
                        person=record,
                        identity_id=record.identity_id,
                        service=delivery_type,
                        delivered_on=day,
                        region=state.almaty,
                        district_id=record.district_id,
                    )
                )
                day += dt.timedelta(days=rnd.randint(20, 45))
        ServiceDelivery.objects.bulk_create(deliveries, batch_size=5000)
        enrolled[plan.service.pk] = list(zip(enrolments, records, strict=True))
    reach_mark_stale({(data.YEAR, state.almaty.pk)})
    return enrolled


def load_active_longevity(state: DemoState) -> None:
    """The Active Longevity Centre's 24,000 pensioners of 2025 in aggregate: twelve monthly
    programmes of its project, their anonymous participants adding up to the figure."""
    plan = state.plan("active_longevity")
    shares = [data.ACTIVE_LONGEVITY_PENSIONERS // 12] * 12
    shares[-1] += data.ACTIVE_LONGEVITY_PENSIONERS - sum(shares)
    Event.objects.bulk_create(
        Event(
            project=plan.project,
            kind=Event.Kind.TRAINING,
            title_kk=f"Белсенді ұзақ өмір бағдарламасы, {data.YEAR}-{month:02d}",
            title_ru=f"Программа активного долголетия, {data.YEAR}-{month:02d}",
            title_en=f"Active longevity programme, {data.YEAR}-{month:02d}",
            held_on=dt.date(data.YEAR, month, 15),
            place=plan.district,
            venue=plan.provider.organisation.name_ru,
            anonymous_participants=count,
        )
        for month, count in enumerate(shares, start=1)
    )


def _reference(state: DemoState, used: set[str]) -> str:
    while True:
        code = "".join(state.rnd.choice(REFERENCE_LETTERS) for _ in range(8))
        if code not in used and not WaitListEntry.objects.filter(reference=code).exists():
            used.add(code)
            return code


def _tier(service: Service, birth: dt.date, on: dt.date) -> int | None:
    if service.admission != Service.Admission.PRIORITY_TIERS:
        return None
    months = (on.year - birth.year) * 12 + on.month - birth.month - (1 if on.day < birth.day else 0)
    for tier in service.priority_tiers.order_by("rank"):
        if tier.under_age_months is not None and months < tier.under_age_months:
            return tier.rank
    return None


def load_wait_lists(
    state: DemoState, people: People, enrolled: dict[int, list[tuple[Enrolment, Person]]]
) -> list[WaitListEntry]:
    """People waiting at the full services, from the last months up to the day of loading;
    at each, an open offer of a place just freed, a decline parked until a date, an offer
    not answered in time, a place accepted (its enrolment), and someone who left."""
    rnd = state.rnd
    now = state.now
    used: set[str] = set()
    made: list[WaitListEntry] = []
    for key in FULL:
        plan = state.plan(key)
        service = plan.service
        count = WAITING[key]
        generated = [
            people.new(
                plan.ages,
                rnd.choice(list(state.districts.values())).pk,
                plan.categories,
                born_before=state.today - dt.timedelta(days=150) if plan.ages[1] < 3 else REFERENCE_DAY,
            )
            for _ in range(count)
        ]
        records = people.records(plan.provider.organisation, generated)
        joined = sorted(
            now - dt.timedelta(days=rnd.randint(3, 150), hours=rnd.randint(0, 8)) for _ in records
        )
        entries = WaitListEntry.objects.bulk_create(
            WaitListEntry(
                service=service,
                person=record,
                identity_id=record.identity_id,
                reference=_reference(state, used),
                tier_rank=_tier(service, person.birth_date, joined_at.date()),
                joined_at=joined_at,
            )
            for record, person, joined_at in zip(records, generated, joined, strict=True)
        )
        first, second, third, fourth, fifth = entries[:5]
        # Two places freed lately: two stays of the service ended.
        open_stays = [e for e, _p in enrolled.get(service.pk, []) if e.ends_on is None]
        freed = open_stays[:2]
        for enrolment, days in zip(freed, (12, 2), strict=True):
            enrolment.ends_on = state.today - dt.timedelta(days=days)
            enrolment.end_reason = Enrolment.EndReason.PLAN_COMPLETED
        Enrolment.objects.bulk_update(freed, ["ends_on", "end_reason"])
        # The first place: offered to the first, who declined for now; then to the second,
        # who did not answer in time; then to the third, who accepted and is enrolled.
        day = now - dt.timedelta(days=11)
        offers = [
            Offer(
                entry=first,
                service=service,
                made_at=day,
                expires_at=day + dt.timedelta(days=service.offer_days),
                status=Offer.Status.DECLINED,
                answered_at=day + dt.timedelta(days=1),
                decline_reason=WaitListEntry.ParkReason.DECLINED_FOR_NOW,
            ),
            Offer(
                entry=second,
                service=service,
                made_at=day + dt.timedelta(days=1, hours=1),
                expires_at=day + dt.timedelta(days=1 + service.offer_days, hours=1),
                status=Offer.Status.EXPIRED,
                answered_at=day + dt.timedelta(days=1 + service.offer_days, hours=1),
                decline_reason=WaitListEntry.ParkReason.OFFER_EXPIRED,
            ),
            Offer(
                entry=third,
                service=service,
                made_at=day + dt.timedelta(days=5),
                expires_at=day + dt.timedelta(days=5 + service.offer_days),
                status=Offer.Status.ACCEPTED,
                answered_at=day + dt.timedelta(days=6),
            ),
            # The second place, freed two days ago: the fourth holds an open offer.
            Offer(
                entry=fourth,
                service=service,
                made_at=now - dt.timedelta(days=1),
                expires_at=now - dt.timedelta(days=1) + dt.timedelta(days=service.offer_days),
            ),
        ]
        Offer.objects.bulk_create(offers)
        first.status, first.park_reason = (
            WaitListEntry.Status.PARKED,
            WaitListEntry.ParkReason.DECLINED_FOR_NOW,
        )
        first.parked_until = state.today + dt.timedelta(days=30)
        second.status, second.park_reason = (
            WaitListEntry.Status.PARKED,
            WaitListEntry.ParkReason.OFFER_EXPIRED,
        )
        second.parked_until = state.today + dt.timedelta(days=14)
        third.status = WaitListEntry.Status.ENROLLED
        third.left_at = offers[2].answered_at
        fourth.status = WaitListEntry.Status.OFFERED
        fifth.status, fifth.left_at = WaitListEntry.Status.LEFT, now - dt.timedelta(days=20)
        WaitListEntry.objects.bulk_update(
            [first, second, third, fourth, fifth], ["status", "park_reason", "parked_until", "left_at"]
        )
        accepted_on = (day + dt.timedelta(days=7)).date()
        Enrolment.objects.create(
            service=service,
            person=records[2],
            identity_id=records[2].identity_id,
            offer=offers[2],
            starts_on=max(accepted_on, state.today - dt.timedelta(days=11)),
        )
        made.extend(entries)
    return made


def _due(created: dt.datetime, working_days: int = 2) -> dt.datetime:
    """The answer's deadline: working days after the referral, weekends skipped."""
    due = created
    left = working_days
    while left:
        due += dt.timedelta(days=1)
        if due.weekday() < 5:
            left -= 1
    return due


def load_referrals(
    state: DemoState,
    people: People,
    enrolled: dict[int, list[tuple[Enrolment, Person]]],
    entries: list[WaitListEntry],
) -> list[Referral]:
    """Referrals from the city's department of employment and social programmes and the
    home-care units, in every state (the module's text)."""
    rnd = state.rnd
    now = state.now
    department = Organisation.objects.filter(
        name_en="Almaty City Department of Employment and Social Programmes"
    ).first()
    home_units = [p.provider.organisation for p in state.plans if p.unit == "home_care_case"]
    referrers = ([department] if department is not None else []) + home_units
    rows: list[tuple[Referral, dt.datetime]] = []

    def referrer_records(pairs: list[tuple[Organisation, Person]]) -> list[Person]:
        """The referring organisations' records of people the receivers know (same identity)."""
        made: list[Person] = []
        by_org: dict[int, list[int]] = {}
        for index, (organisation, _record) in enumerate(pairs):
            by_org.setdefault(organisation.pk, []).append(index)
        result: dict[int, Person] = {}
        for org_id, indexes in by_org.items():
            organisation = next(o for o, _r in pairs if o.pk == org_id)
            records = [pairs[i][1] for i in indexes]
            copies = Person.objects.bulk_create(
                Person(
                    organisation=organisation,
                    identity_id=r.identity_id,
                    iin=r.iin,
                    iin_hash=r.iin_hash,
                    last_name=r.last_name,
                    first_name=r.first_name,
                    patronymic=r.patronymic,
                    birth_date=r.birth_date,
                    sex=r.sex,
                    region_id=r.region_id,
                    district_id=r.district_id,
                )
                for r in records
            )
            Consent.objects.bulk_create(
                Consent(person=c, organisation=organisation, given_on=dt.date(data.YEAR, 1, 5))
                for c in copies
            )
            result.update(zip(indexes, copies, strict=True))
        made = [result[i] for i in range(len(pairs))]
        return made

    def at(day: dt.date, hour: int = 10) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)

    # Served and in service: recipients whose stay began in 2025 (not the full services').
    first_delivery = dict(
        ServiceDelivery.objects.filter(project__in=[p.project for p in state.plans])
        .values("person_id")
        .annotate(first=Min("pk"))
        .values_list("person_id", "first")
    )
    served: list[tuple[Enrolment, Person, Service]] = []
    in_service: list[tuple[Enrolment, Person, Service]] = []
    for plan in state.plans:
        for enrolment, record in enrolled.get(plan.service.pk, []):
            if enrolment.starts_on < dt.date(data.YEAR, 2, 1) or plan.key in FULL:
                continue
            if enrolment.ends_on is not None and len(served) < 320 and rnd.random() < 0.2:
                served.append((enrolment, record, plan.service))
            elif enrolment.ends_on is None and len(in_service) < 130 and rnd.random() < 0.15:
                in_service.append((enrolment, record, plan.service))

    def referrer_of(service: Service) -> Organisation:
        # Nobody refers people to their own organisation.
        return rnd.choice([o for o in referrers if o.pk != service.provider.organisation_id])

    pairs = [(referrer_of(s), r) for _e, r, s in [*served, *in_service]]
    copies = referrer_records(pairs)
    linked: list[Enrolment] = []
    for (enrolment, record, service), (organisation, _r), copy in zip(
        [*served, *in_service], pairs, copies, strict=True
    ):
        created = at(enrolment.starts_on - dt.timedelta(days=rnd.randint(2, 30)), rnd.randint(9, 17))
        done = enrolment.ends_on is not None
        referral = Referral(
            service=service,
            from_organisation=organisation,
            person=copy,
            identity_id=record.identity_id,
            receiver_person=record,
            consent_given_on=created.date(),
            status=Referral.Status.COMPLETED if done else Referral.Status.IN_SERVICE,
            outcome=Referral.Outcome.SERVED if done else "",
            delivery_id=first_delivery.get(record.pk) if done else None,
            answer_due_at=_due(created),
            answered_at=created + dt.timedelta(hours=rnd.randint(2, 60)),
            first_service_on=enrolment.starts_on,
            closed_at=at(enrolment.ends_on) if enrolment.ends_on is not None else None,
        )
        rows.append((referral, created))
        linked.append(enrolment)

    # Waiting: the referrals of most people on the wait lists.
    waiting = [e for e in entries if e.status in {"waiting", "parked", "offered"} and rnd.random() < 0.6]
    waiting_people = {p.pk: p for p in Person.objects.filter(pk__in=[e.person_id for e in waiting])}
    pairs = [(referrer_of(e.service), waiting_people[e.person_id]) for e in waiting]
    copies = referrer_records(pairs)
    waiting_referrals: list[tuple[WaitListEntry, Referral]] = []
    for entry, (organisation, record), copy in zip(waiting, pairs, copies, strict=True):
        created = entry.joined_at - dt.timedelta(days=rnd.randint(1, 5))
        referral = Referral(
            service_id=entry.service_id,
            from_organisation=organisation,
            person=copy,
            identity_id=record.identity_id,
            receiver_person=record,
            consent_given_on=created.date(),
            status=Referral.Status.WAIT_LISTED,
            answer_due_at=_due(created),
            answered_at=entry.joined_at,
        )
        rows.append((referral, created))
        waiting_referrals.append((entry, referral))

    # The others: people only the referring organisation knows yet.
    services = [p for p in state.plans if p.key not in FULL and p.recipients]
    outcomes = [
        *[("requested_overdue", "")] * 12,
        *[("requested", "")] * 8,
        *[("accepted", "")] * 18,
        *[("rejected", reason) for reason in Referral.RejectionReason.values for _ in range(5)],
        *[
            ("completed", outcome)
            for outcome in Referral.Outcome.values
            if outcome != "served"
            for _ in range(10)
        ],
        *[("cancelled", "")] * 10,
    ]
    generated = []
    chosen = []
    for _state_name, _detail in outcomes:
        plan = rnd.choice(services)
        chosen.append(plan)
        generated.append(people.new(plan.ages, plan.district.pk, plan.categories, born_before=REFERENCE_DAY))
    organisations = [referrer_of(plan.service) for plan in chosen]
    records_at: dict[int, Person] = {}
    for organisation in {o.pk: o for o in organisations}.values():
        indexes = [i for i, o in enumerate(organisations) if o.pk == organisation.pk]
        made = people.records(organisation, [generated[i] for i in indexes])
        records_at.update(zip(indexes, made, strict=True))
    records = [records_at[i] for i in range(len(outcomes))]
    for (status, detail), plan, organisation, record in zip(
        outcomes, chosen, organisations, records, strict=True
    ):
        if status == "requested_overdue":
            created = now - dt.timedelta(days=rnd.randint(4, 20), hours=rnd.randint(0, 6))
        elif status == "requested":
            created = now - dt.timedelta(hours=rnd.randint(1, 20))
        else:
            created = now - dt.timedelta(days=rnd.randint(5, 200))
        answered = created + dt.timedelta(hours=rnd.randint(3, 40))
        referral = Referral(
            service=plan.service,
            from_organisation=organisation,
            person=record,
            identity_id=record.identity_id,
            consent_given_on=created.date(),
            status=Referral.Status.REQUESTED if status.startswith("requested") else status,
            rejection_reason=detail if status == "rejected" else "",
            outcome=detail if status == "completed" else "",
            answer_due_at=_due(created),
            answered_at=None if status.startswith("requested") or status == "cancelled" else answered,
            escalated_at=_due(created) + dt.timedelta(hours=1)
            if status == "requested_overdue" and rnd.random() < 0.5
            else None,
            closed_at=answered + dt.timedelta(days=rnd.randint(1, 30))
            if status in {"completed", "cancelled", "rejected"}
            else None,
        )
        rows.append((referral, created))

    referrals = Referral.objects.bulk_create([r for r, _c in rows], batch_size=2000)
    # `created_at` is set on insert: put back the days the referrals were made.
    for referral, (_made, created) in zip(referrals, rows, strict=True):
        referral.created_at = created
    Referral.objects.bulk_update(referrals, ["created_at"], batch_size=1000)
    for enrolment, referral in zip(linked, referrals, strict=False):
        enrolment.referral = referral
    Enrolment.objects.bulk_update(linked, ["referral"], batch_size=1000)
    offset = len(linked)
    for index, (entry, _made) in enumerate(waiting_referrals):
        entry.referral = referrals[offset + index]
    WaitListEntry.objects.bulk_update([e for e, _made in waiting_referrals], ["referral"])
    return referrals
