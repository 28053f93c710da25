"""A vacancy as schema.org's `JobPosting` (https://schema.org/JobPosting), the data that
search engines and job boards read from its public page. Built from the vacancy page's
`VacancyDetail`, in the reader's language; the page prints it with the `json_ld` filter,
which escapes it as `json_script` does."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language

from qoldau.jobs.models import EducationLevel, WorkingCondition
from qoldau.jobs.selectors import VacancyDetail

# Full-time from this many hours a week (the Labour Code's full week is 40).
FULL_TIME_HOURS = 35
# schema.org's credential categories for the levels of education.
EDUCATION_CREDENTIAL = {
    EducationLevel.PRIMARY: "high school",
    EducationLevel.BASIC_SECONDARY: "high school",
    EducationLevel.GENERAL_SECONDARY: "high school",
    EducationLevel.VOCATIONAL: "professional certificate",
    EducationLevel.HIGHER: "bachelor degree",
    EducationLevel.POSTGRADUATE: "postgraduate degree",
}


def job_posting(detail: VacancyDetail, url: str) -> dict[str, Any]:
    """The JobPosting of a vacancy whose page is at `url` (an absolute address)."""
    vacancy = detail.vacancy
    employer = vacancy.employer
    place = vacancy.district or vacancy.region
    value: dict[str, Any] = {"@type": "QuantitativeValue", "unitText": "MONTH"}
    if vacancy.pay_to is not None and vacancy.pay_to != vacancy.pay_from:
        value |= {"minValue": float(vacancy.pay_from), "maxValue": float(vacancy.pay_to)}
    else:
        value["value"] = float(vacancy.pay_from)
    posting: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": vacancy.title,
        "description": vacancy.duties or vacancy.title,
        "identifier": {"@type": "PropertyValue", "name": "Qoldau", "value": str(vacancy.pk)},
        "url": url,
        "inLanguage": (get_language() or "kk")[:2],
        "datePosted": vacancy.opens_on.isoformat(),
        "employmentType": "FULL_TIME" if vacancy.weekly_hours >= FULL_TIME_HOURS else "PART_TIME",
        "workHours": f"{vacancy.weekly_hours} h/week",
        "totalJobOpenings": vacancy.positions,
        "occupationalCategory": vacancy.occupation.code,
        "hiringOrganization": {"@type": "Organization", "name": employer.name},
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressCountry": "KZ",
                "addressRegion": vacancy.region.name,
                "addressLocality": place.name,
                **({"streetAddress": detail.workplace.address} if detail.workplace is not None else {}),
            },
        },
        "baseSalary": {"@type": "MonetaryAmount", "currency": "KZT", "value": value},
    }
    if employer.bin:
        posting["hiringOrganization"]["identifier"] = employer.bin
    if employer.website:
        posting["hiringOrganization"]["sameAs"] = employer.website
    if vacancy.closes_on is not None:
        posting["validThrough"] = vacancy.closes_on.isoformat()
    if vacancy.remote:
        posting["jobLocationType"] = "TELECOMMUTE"
        posting["applicantLocationRequirements"] = {"@type": "Country", "name": "KZ"}
    physical = [c.name for c in detail.conditions if c.kind != WorkingCondition.Kind.SENSORY]
    sensory = [c.name for c in detail.conditions if c.kind == WorkingCondition.Kind.SENSORY]
    if physical:
        posting["physicalRequirement"] = "; ".join(physical)
    if sensory:
        posting["sensoryRequirement"] = "; ".join(sensory)
    if detail.accommodations:
        posting["jobBenefits"] = "; ".join(a.name for a in detail.accommodations)
    credential = (
        EDUCATION_CREDENTIAL.get(EducationLevel(vacancy.education_required))
        if vacancy.education_required
        else None
    )
    if credential:
        posting["educationRequirements"] = {
            "@type": "EducationalOccupationalCredential",
            "credentialCategory": credential,
        }
    if vacancy.experience_months_required:
        posting["experienceRequirements"] = {
            "@type": "OccupationalExperienceRequirements",
            "monthsOfExperience": vacancy.experience_months_required,
        }
    return posting
