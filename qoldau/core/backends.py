"""Signing in with a citizen account's phone number (the staff sign in with their user
name through Django's own backend). The sign-in page, its lockout after failed attempts
(django-axes, which runs before every backend) and its form are the same for both."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.http import HttpRequest

from qoldau.core.crypto import keyed_hash
from qoldau.core.errors import ValidationFailed
from qoldau.core.identifiers import normalise_kazakh_mobile
from qoldau.core.models import CitizenAccount


class CitizenPhoneBackend(ModelBackend):
    """The user of the citizen account whose phone is the "user name" typed, if the
    password is theirs."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or password is None:
            return None
        try:
            phone = normalise_kazakh_mobile(username)
        except ValidationFailed:
            return None
        account = CitizenAccount.objects.select_related("user").filter(phone_hash=keyed_hash(phone)).first()
        if account is None:
            # Hash the password anyway, so that an unknown number takes as long as a known one.
            User().set_password(password)
            return None
        user = account.user
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
