"""A one-time password is replaced before anything else: a user who logged in with one (made by
`lexbill user add` or an admin's reset) sees only the change-password page until they choose their own.

Whether the password is one-time is read once, at login (the `user_logged_in` signal), and kept in the
session, so other requests cost no query. The API (token auth) and the CLI are not affected.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from lexbill.core.users import password_is_one_time

ONE_TIME_KEY = "password_is_one_time"

# What a user with a one-time password may still reach: the change page itself, logging out, and assets.
_OPEN_PREFIXES = ("/api/", "/favicon.ico", "/static/")


@receiver(user_logged_in)
def _remember_one_time(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        if password_is_one_time(user):
            request.session[ONE_TIME_KEY] = True
        else:
            request.session.pop(ONE_TIME_KEY, None)


class OneTimePasswordMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and request.session.get(ONE_TIME_KEY):
            allowed = {reverse("password_change"), reverse("logout")}
            if request.path not in allowed and not request.path.startswith(_OPEN_PREFIXES):
                response = redirect("password_change")
                if request.headers.get("HX-Request"):
                    response["HX-Redirect"] = response["Location"]
                return response
        return self.get_response(request)
