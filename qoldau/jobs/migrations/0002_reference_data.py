from decimal import Decimal

from django.db import migrations

from qoldau.jobs.classifier import isco_of, occupation_ancestors, occupation_level
from qoldau.jobs.reference_data import (
    ACCOMMODATIONS,
    MINIMUM_WAGES,
    OCCUPATIONS,
    PROGRAMMES,
    QUOTA_BANDS,
    SERVICE_TYPES,
    WORKING_CONDITIONS,
)


def load(apps, schema_editor):
    Occupation = apps.get_model("jobs", "Occupation")
    codes = {}
    for code, kk, ru, en in sorted(OCCUPATIONS, key=lambda row: (len(row[0].split("-")[0]), row[0].count("-"), row[0])):
        parent = next((codes[c] for c in occupation_ancestors(code) if c in codes), None)
        codes[code], _ = Occupation.objects.update_or_create(
            code=code,
            defaults={
                "level": occupation_level(code),
                "parent": parent,
                "isco_code": isco_of(code),
                "name_kk": kk,
                "name_ru": ru,
                "name_en": en,
            },
        )
    Condition = apps.get_model("jobs", "WorkingCondition")
    for order, (code, kind, kk, ru, en) in enumerate(WORKING_CONDITIONS):
        Condition.objects.update_or_create(
            code=code, defaults={"kind": kind, "name_kk": kk, "name_ru": ru, "name_en": en, "sort_order": order * 10}
        )
    Impairment = apps.get_model("jobs", "Impairment")
    Limitation = apps.get_model("jobs", "Limitation")
    Accommodation = apps.get_model("jobs", "Accommodation")
    for i, (code, kk, ru, en, limitations) in enumerate(ACCOMMODATIONS):
        impairment, _ = Impairment.objects.update_or_create(
            code=code, defaults={"name_kk": kk, "name_ru": ru, "name_en": en, "sort_order": i * 10}
        )
        for j, (l_code, l_kk, l_ru, l_en, accommodations) in enumerate(limitations):
            limitation, _ = Limitation.objects.update_or_create(
                code=l_code,
                defaults={"impairment": impairment, "name_kk": l_kk, "name_ru": l_ru, "name_en": l_en, "sort_order": j * 10},
            )
            for k, (a_code, a_kk, a_ru, a_en, covers) in enumerate(accommodations):
                Accommodation.objects.update_or_create(
                    code=a_code,
                    defaults={
                        "limitation": limitation,
                        "name_kk": a_kk,
                        "name_ru": a_ru,
                        "name_en": a_en,
                        "covers_categories": covers,
                        "sort_order": k * 10,
                    },
                )
    MinimumWage = apps.get_model("jobs", "MinimumWage")
    for valid_from, amount, source in MINIMUM_WAGES:
        MinimumWage.objects.update_or_create(
            valid_from=valid_from, defaults={"amount": Decimal(amount), "source": source}
        )
    QuotaBand = apps.get_model("jobs", "QuotaBand")
    for valid_from, low, high, rate, source in QUOTA_BANDS:
        QuotaBand.objects.update_or_create(
            valid_from=valid_from,
            min_headcount=low,
            defaults={"max_headcount": high, "rate_percent": Decimal(rate), "source": source},
        )
    Programme = apps.get_model("jobs", "SubsidisedProgramme")
    for code, kind, kk, ru, en, valid_from, months, keep, subsidy, cap, source, note in PROGRAMMES:
        Programme.objects.update_or_create(
            code=code,
            valid_from=valid_from,
            defaults={
                "kind": kind,
                "name_kk": kk,
                "name_ru": ru,
                "name_en": en,
                "max_months": months,
                "keep_months": keep,
                "wage_subsidy_percent": Decimal(subsidy) if subsidy is not None else None,
                "reimbursement_cap_mci": cap,
                "source": source,
                "note": note,
            },
        )
    ServiceType = apps.get_model("projects", "ServiceType")
    for code, kk, ru, en, unit_kk, unit_ru, unit_en in SERVICE_TYPES:
        ServiceType.objects.update_or_create(
            code=code,
            defaults={"name_kk": kk, "name_ru": ru, "name_en": en, "unit_kk": unit_kk, "unit_ru": unit_ru, "unit_en": unit_en},
        )


class Migration(migrations.Migration):
    dependencies = [("jobs", "0001_employment"), ("projects", "0002_service_catalogue")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
