"""The routers the contests API's endpoints hang on."""

from collections.abc import Callable
from typing import Any

from ninja import Router as NinjaRouter

from qoldau.core.api import BearerToken, PublicAccess, SignedInSession

# Public reads recognise a signed-in caller (token or session) but answer anyone.
PUBLIC = [BearerToken(), SignedInSession(), PublicAccess()]


class Router(NinjaRouter):
    """A router whose operations keep the OpenAPI ids they had when the API was one module
    (`qoldau_contests_api_<function>`), so clients generated from the document keep their
    method names whichever module an endpoint lives in."""

    def add_api_operation(
        self,
        path: str,
        methods: list[str],
        view_func: Callable[..., Any],
        *,
        operation_id: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().add_api_operation(
            path,
            methods,
            view_func,
            operation_id=operation_id or f"qoldau_contests_api_{view_func.__name__}",
            **kwargs,
        )
