from typing import Any

from django.http import HttpRequest
from django_scopes import scopes_disabled

from .models import Membership


def active_firm(request: HttpRequest) -> dict[str, Any]:
    firm = getattr(request, "firm", None)
    membership = getattr(request, "membership", None)
    user = getattr(request, "user", None)
    memberships: list[Membership] = []
    if user is not None and user.is_authenticated:
        with scopes_disabled():
            memberships = list(Membership.objects.filter(user=user, is_active=True)
                               .select_related("firm").order_by("firm__name"))
    return {"active_firm": firm, "active_role": membership.role if membership else None,
            "my_memberships": memberships}
