"""The outbox page: the notifications written to the signed-in user (subject, message,
when, sent or not), newest first; a system administrator sees everyone's."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from qoldau.core import policy
from qoldau.core.notifications import notifications_visible

PAGE_SIZE = 50


@login_required
def outbox(request: HttpRequest) -> HttpResponse:
    notes = notifications_visible(request.user).order_by("-created_at", "-id")
    page = Paginator(notes, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "everyone": policy.may_read_every_notification(request.user)}
    return render(request, "core/outbox.html", context)
