"""Forms of the Users pages and of the change-password page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordChangeForm

from lexbill.core.models import Role

from .service_forms import ServiceErrorsMixin


class InviteForm(ServiceErrorsMixin, forms.Form):
    email = forms.EmailField(max_length=254)
    name = forms.CharField(max_length=300, required=False, help_text="For a new user: first and last name.")
    role = forms.ChoiceField(choices=Role.choices, initial=Role.ATTORNEY)

    def to_service(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class RoleForm(ServiceErrorsMixin, forms.Form):
    role = forms.ChoiceField(choices=Role.choices)

    def to_service(self) -> dict[str, Any]:
        return {"role": self.cleaned_data["role"]}


class OwnPasswordForm(ServiceErrorsMixin, PasswordChangeForm):
    """Django's change-password form: the current password, the new one twice, checked by
    AUTH_PASSWORD_VALIDATORS. Saving goes through `core.users.password_change`, not `form.save()`."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        new = data.get("new_password2")
        if new and self.user.check_password(new):
            self.add_error("new_password2", "Choose a password different from your current one.")
        return data

    def to_service(self) -> dict[str, Any]:
        return {"new_password": self.cleaned_data["new_password2"]}
