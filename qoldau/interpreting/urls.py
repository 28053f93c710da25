"""Pages of interpreting (their routes live beside their views)."""

from qoldau.interpreting.views import urlpatterns

app_name = "interpreting"

__all__ = ["app_name", "urlpatterns"]
