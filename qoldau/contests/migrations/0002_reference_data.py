"""Facts every installation carries: the monthly calculation index by date (the grant bands
are set in it) and the contest's published history (article 003)."""

from decimal import Decimal

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

BUDGET_LAW = "Law on the republican budget"
MCI = [
    ("2017-01-01", "2269"),
    ("2018-01-01", "2405"),
    ("2019-01-01", "2525"),
    ("2020-01-01", "2651"),
    ("2020-04-01", "2778"),
    ("2021-01-01", "2917"),
    ("2022-01-01", "3063"),
    ("2022-04-01", "3180"),
    ("2023-01-01", "3450"),
    ("2024-01-01", "3692"),
    ("2025-01-01", "3932"),
    ("2026-01-01", "4325"),
]
ARTICLE = "Ministry of Labour and Social Protection, press release on the 2017 contest (article 003)"
LAUREATES_2016 = [
    {
        "place": 1,
        "title_kk": "Онлайн сурдоаударма қызметі",
        "title_ru": "Онлайн-сервис сурдоперевода",
        "title_en": "Online sign-language interpreting service",
        "description_kk": "Есту және сөйлеу қабілеті бұзылған адамдар сурдоаудармашыға ғаламтор арқылы нақты уақытта "
        "қол жеткізеді; төрт сурдоаудармашы-диспетчер 300-ден астам адамға қызмет көрсетті.",
        "description_ru": "Люди с нарушениями слуха и речи связываются с сурдопереводчиком через интернет в реальном "
        "времени; четыре сурдопереводчика-диспетчера обслужили более 300 человек.",
        "description_en": "Deaf and hard-of-hearing people reach a sign-language interpreter over the internet in real "
        "time; four interpreter-dispatchers served more than 300 people.",
        "leader": "Сергей Махашев",
        "kato": "750000000",
        "city": ("Алматы", "Алматы", "Almaty"),
    },
    {
        "place": 2,
        "title_kk": "Көкшетау қаласында және Красный Яр ауылында мүгедек балаларға және 1-топ мүгедектеріне үйде "
        "паллиативтік көмек көрсету орталығы",
        "title_ru": "Центр паллиативной помощи на дому детям с инвалидностью и взрослым с инвалидностью I группы "
        "в Кокшетау и селе Красный Яр",
        "title_en": "Home palliative-care centre for children with disabilities and group I adults in Kokshetau "
        "and Krasny Yar",
        "description_kk": "Тірек-қозғалыс жүйесі бұзылған адамдарды оңалту; былтыр 50 науқастың емінде оң нәтиже болды.",
        "description_ru": "Реабилитация людей с нарушениями опорно-двигательного аппарата; у 50 пациентов "
        "отмечено улучшение.",
        "description_en": "Rehabilitation of people with musculoskeletal impairments; 50 patients improved.",
        "leader": "Василий Шиманский",
        "kato": "110000000",
        "city": ("Көкшетау", "Кокшетау", "Kokshetau"),
    },
    {
        "place": 3,
        "title_kk": "Адам саудасынан жапа шеккен жандарға арнаулы әлеуметтік қызметтер көрсету",
        "title_ru": "Специальные социальные услуги жертвам торговли людьми",
        "title_en": "Special social services for victims of human trafficking",
        "description_kk": "Астанадағы дағдарыс орталығы: 2016 жылы 60-тан астам адам орналастырылды, 200-ге жуық "
        "адамға кеңес берілді.",
        "description_ru": "Кризисный центр в Астане: в 2016 году размещено более 60 человек, около 200 получили "
        "консультации.",
        "description_en": "A crisis centre in Astana: more than 60 people placed and about 200 consulted in 2016.",
        "leader": "Анна Рыль",
        "kato": "710000000",
        "city": ("Астана", "Астана", "Astana"),
    },
]


def load(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    mci = apps.get_model("contests", "MonthlyCalculationIndex")
    for valid_from, amount in MCI:
        mci.objects.update_or_create(
            valid_from=valid_from, defaults={"amount": Decimal(amount), "source": BUDGET_LAW}
        )
    period = apps.get_model("contests", "ArchivePeriod")
    period.objects.update_or_create(
        from_year=2013,
        to_year=2016,
        defaults={
            "projects_taken_part": 495,
            "regional_winners": 94,
            "winners_private": 17,
            "winners_sponsor": 38,
            "winners_state_order": 39,
            "source": ARTICLE,
        },
    )
    laureate = apps.get_model("contests", "ArchivedLaureate")
    place = apps.get_model("core", "Place")
    for row in LAUREATES_2016:
        row = dict(row)
        kato = row.pop("kato")
        city_kk, city_ru, city_en = row.pop("city")
        laureate.objects.update_or_create(
            year=2016,
            place=row.pop("place"),
            defaults={
                **row,
                "region": place.objects.filter(kato=kato).first(),
                "city_kk": city_kk,
                "city_ru": city_ru,
                "city_en": city_en,
                "source": ARTICLE,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("contests", "0001_contests_grants"), ("core", "0002_reference_data")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
