"""The social workforce in the demo: article 002's 1,600 social workers on the 30 % bonus,
generated as workers of the providers (the bonus is dated data from 2025), with the
other specialists a provider employs beside them, and trainings of 2025 towards the
target of 1,000 specialists by mid-2026 (the progress is generated: the article gives the
target only).

A consistent sample per provider rather than an aggregate: the workers are records the
provider's staff keep on the workforce pages, and the public progress counts them by
provider and district. Names are encrypted, as the model keeps them."""

from __future__ import annotations

import datetime as dt

from qoldau.core import demo_names as names
from qoldau.services.demo import data
from qoldau.services.demo.common import DemoState
from qoldau.services.models import Position, Training, TrainingTarget, Worker, WorkforceBonus

# Social workers by kind of provider (weights), then the other specialists per provider.
SHARE_OF_SOCIAL_WORKERS = {
    "medical_social_institution": 4.0,
    "home_care_unit": 5.5,
    "ngo": 1.2,
    "state_centre": 2.0,
}
OTHERS = {
    "medical_social_institution": [Position.NURSE] * 6 + [Position.DOCTOR] * 2 + [Position.PSYCHOLOGIST] * 2,
    "home_care_unit": [Position.NURSE] * 2 + [Position.PSYCHOLOGIST],
    "ngo": [Position.PSYCHOLOGIST] * 2 + [Position.SIGN_LANGUAGE_SPECIALIST, Position.OTHER],
    "state_centre": [Position.SPEECH_THERAPIST] * 2
    + [Position.DEFECTOLOGIST] * 3
    + [Position.PSYCHOLOGIST] * 2,
}
COURSES = [
    ("Әлеуметтік жұмыстағы жаңа әдістемелер", 72),
    ("Мүгедектігі бар адамдарға үйде күтім жасау", 48),
    ("Ерте араласу: отбасымен жұмыс", 72),
    ("Жеке оңалту бағдарламасы бойынша сүйемелдеу", 36),
    ("Ымдау тілінің негіздері", 60),
]


def _name(state: DemoState) -> str:
    rnd = state.rnd
    female = rnd.random() < 0.8
    first = rnd.choice(names.KAZAKH_FEMALE if female else names.KAZAKH_MALE)
    surname = rnd.choice(names.KAZAKH_SURNAMES)
    return f"{names.feminine_surname(surname) if female else surname} {first}"


def load_workforce(state: DemoState) -> None:
    rnd = state.rnd
    WorkforceBonus.objects.create(
        name_kk="Әлеуметтік қызметкерлерге ынталандыру үстемақысы",
        name_ru="Стимулирующая надбавка социальным работникам",
        name_en="Incentive bonus for social workers",
        region=state.almaty,
        percent=data.BONUS_PERCENT,
        valid_from=dt.date(data.YEAR, 1, 1),
        source=data.SOURCE,
    )
    TrainingTarget.objects.create(
        name_kk="Мамандардың біліктілігін арттыру",
        name_ru="Повышение квалификации специалистов",
        name_en="Specialists' further training",
        region=state.almaty,
        specialists=data.TRAINING_TARGET,
        counted_from=dt.date(data.YEAR, 1, 1),
        deadline=data.TRAINING_DEADLINE,
        source=data.SOURCE,
    )
    weights = [SHARE_OF_SOCIAL_WORKERS[p.provider.kind] for p in state.plans]
    shares = [int(data.SOCIAL_WORKERS * w / sum(weights)) for w in weights]
    shares[0] += data.SOCIAL_WORKERS - sum(shares)
    workers: list[Worker] = []
    for plan, social in zip(state.plans, shares, strict=True):
        positions = [
            *(
                Position.SOCIAL_WORKER if rnd.random() < 0.8 else Position.SOCIAL_WORK_SPECIALIST
                for _ in range(social)
            ),
            *OTHERS[plan.provider.kind],
        ]
        for position in positions:
            workers.append(
                Worker(
                    provider=plan.provider,
                    full_name=_name(state),
                    position=position,
                    qualification=rnd.choice(["", "Жоғары", "Арнаулы орта", "Бірінші санат", "Жоғары санат"]),
                    hired_on=dt.date(2008, 1, 1) + dt.timedelta(days=rnd.randint(0, 6200)),
                )
            )
    # A few left during the year: still counted where they were, never among the workers now.
    for worker in rnd.sample(workers, 40):
        worker.left_on = max(
            worker.hired_on, dt.date(data.YEAR, 1, 1) + dt.timedelta(days=rnd.randint(0, 330))
        )
    made = Worker.objects.bulk_create(workers, batch_size=2000)
    trained = rnd.sample([w for w in made if w.left_on is None], data.TRAINED_BY_AS_OF)
    trainings = []
    for index, worker in enumerate(trained, start=1):
        course, hours = rnd.choice(COURSES)
        trainings.append(
            Training(
                worker=worker,
                course=course,
                hours=hours,
                completed_on=dt.date(data.YEAR, 2, 1) + dt.timedelta(days=rnd.randint(0, 330)),
                certificate=f"ҚБА-{data.YEAR}-{index:05d}",
            )
        )
    # Some had a second course in the year: one specialist, counted once towards the target.
    for worker in trained[:60]:
        trainings.append(
            Training(
                worker=worker,
                course=COURSES[0][0],
                hours=24,
                completed_on=dt.date(data.YEAR, 11, 20),
                certificate="",
            )
        )
    Training.objects.bulk_create(trainings, batch_size=2000)
