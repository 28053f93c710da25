"""The workforce's pages: a provider's staff keep its workers and their trainings (names
are theirs alone); the progress towards a region's training target, by provider and by
district, for the public (hidden and rounded) and, signed in, within the user's scope."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qoldau.core.errors import ApplicationError
from qoldau.core.forms import add_service_error
from qoldau.services import policy
from qoldau.services.forms_workforce import LeaveForm, TargetForm, TrainingForm, WorkerForm
from qoldau.services.selectors import workforce as selectors
from qoldau.services.services import workforce as services


@login_required
def providers(request: HttpRequest) -> HttpResponse:
    """The providers whose workers the user keeps; the only one opens at once."""
    kept = list(selectors.providers_with_workers_kept_by(request.user))
    if len(kept) == 1:
        return redirect("services:workforce_provider", provider_id=kept[0].pk)
    return render(request, "services/workforce/providers.html", {"providers": kept})


@login_required
def provider_workers(request: HttpRequest, provider_id: int) -> HttpResponse:
    provider = selectors.provider_for_workers(request.user, provider_id)
    form = WorkerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.worker_add(
                    actor=request.user,
                    provider=provider,
                    full_name=data["full_name"],
                    position=data["position"],
                    qualification=data["qualification"] or "",
                    hired_on=data["hired_on"],
                )
            except ApplicationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("The worker is added."))
                return redirect("services:workforce_provider", provider_id=provider.pk)
        status = 400
    workers = selectors.workers_of(request.user, provider)
    context = {
        "provider": provider,
        "form": form,
        "working": [w for w in workers if w.left_on is None],
        "left": [w for w in workers if w.left_on is not None],
    }
    return render(request, "services/workforce/workers.html", context, status=status)


def _worker_page(
    request: HttpRequest,
    worker_id: int,
    *,
    training_form: TrainingForm | None = None,
    leave_form: LeaveForm | None = None,
    status: int = 200,
) -> HttpResponse:
    worker = selectors.worker_for(request.user, worker_id)
    context: dict[str, Any] = {
        "worker": worker,
        "trainings": list(worker.trainings.order_by("-completed_on", "-pk")),
        "training_form": training_form or TrainingForm(auto_id="training-%s"),
        "leave_form": leave_form or LeaveForm(auto_id="leave-%s"),
    }
    return render(request, "services/workforce/worker.html", context, status=status)


@login_required
def worker(request: HttpRequest, worker_id: int) -> HttpResponse:
    return _worker_page(request, worker_id)


@login_required
@require_POST
def training_add(request: HttpRequest, worker_id: int) -> HttpResponse:
    found = selectors.worker_for(request.user, worker_id)
    form = TrainingForm(request.POST, auto_id="training-%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.training_record(
                actor=request.user,
                worker=found,
                course=data["course"],
                hours=data["hours"],
                completed_on=data["completed_on"],
                certificate=data["certificate"] or "",
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The training is recorded."))
            return redirect("services:workforce_worker", worker_id=found.pk)
    return _worker_page(request, found.pk, training_form=form, status=400)


@login_required
@require_POST
def worker_leave(request: HttpRequest, worker_id: int) -> HttpResponse:
    found = selectors.worker_for(request.user, worker_id)
    form = LeaveForm(request.POST, auto_id="leave-%s")
    if form.is_valid():
        try:
            services.worker_leave(actor=request.user, worker=found, left_on=form.cleaned_data["left_on"])
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The day the worker left is recorded."))
            return redirect("services:workforce_provider", provider_id=found.provider_id)
    return _worker_page(request, found.pk, leave_form=form, status=400)


def progress(request: HttpRequest) -> HttpResponse:
    """Progress towards a training target: counts only. Signed-in users who count some
    providers (an akimat officer, a provider's staff) see exact counts of those; everyone
    else the public page, hidden and rounded."""
    form = TargetForm(request.GET or None, targets=selectors.training_targets())
    target = form.chosen()
    counted = request.user.is_authenticated and policy.providers_counted_for(request.user).exists()
    found = (
        selectors.training_progress(
            request.user if counted else None, target, threshold=settings.QOLDAU_SUPPRESSION_THRESHOLD
        )
        if target is not None
        else None
    )
    return render(request, "services/workforce/progress.html", {"form": form, "progress": found})


urlpatterns: list[URLPattern] = [
    path("workforce/", providers, name="workforce"),
    path("workforce/progress/", progress, name="workforce_progress"),
    path("workforce/providers/<int:provider_id>/", provider_workers, name="workforce_provider"),
    path("workforce/workers/<int:worker_id>/", worker, name="workforce_worker"),
    path("workforce/workers/<int:worker_id>/trainings/", training_add, name="workforce_training_add"),
    path("workforce/workers/<int:worker_id>/leave/", worker_leave, name="workforce_worker_leave"),
]
