"""Pages of the contests app (being written)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
