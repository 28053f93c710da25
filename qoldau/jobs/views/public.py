"""Public pages, no sign-in: the search of open vacancies and a vacancy's page, with the
workplace's accessibility for each category and schema.org's JobPosting for search
engines."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path

from qoldau.jobs import selectors
from qoldau.jobs.forms_public import VacancySearchForm
from qoldau.jobs.models import Vacancy
from qoldau.jobs.posting import job_posting

PAGE_SIZE = 20


def vacancy_search(request: HttpRequest) -> HttpResponse:
    form = VacancySearchForm(request.GET if request.GET else None)
    vacancies = selectors.vacancies_open(request.user, form.search())
    page = Paginator(vacancies, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "jobs/public/search.html", {"form": form, "page": page, "query": form.query()})


def vacancy_page(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    detail = selectors.vacancy_detail(request.user, vacancy_id)
    # Only an open vacancy is announced to search engines (its staff also see drafts here).
    posting = (
        job_posting(detail, request.build_absolute_uri(request.path))
        if detail.vacancy.status == Vacancy.Status.OPEN
        else None
    )
    return render(request, "jobs/public/vacancy.html", {"detail": detail, "posting": posting})


urlpatterns: list[URLPattern] = [
    path("vacancies/", vacancy_search, name="vacancy_search"),
    path("vacancies/<id:vacancy_id>/", vacancy_page, name="vacancy_public"),
]
