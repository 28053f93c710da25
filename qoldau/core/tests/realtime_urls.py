"""The URLs of the real-time browser tests: the project's, and a page for the test room kind
(`realtime_rooms.KIND`) that includes the call as an app would."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from qoldau.urls import urlpatterns as project_urlpatterns

PAGE = engines["django"].from_string(
    """{% extends "base.html" %}{% load i18n %}
{% block title %}{% translate "Video call" %}{% endblock %}
{% block content %}<h1>{% translate "Video call" %}</h1>
{% include "core/realtime/video_call.html" with room_kind="test-call" room_id=room_id %}
{% endblock %}"""
)


@login_required
def call_page(request: HttpRequest, room_id: str) -> HttpResponse:
    return HttpResponse(PAGE.render({"room_id": room_id}, request))


urlpatterns = [path("test-call/<slug:room_id>/", call_page), *project_urlpatterns]
