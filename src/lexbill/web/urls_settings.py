"""Pages for the firm's billing settings and tax rates."""

from django.urls import path

from . import views_settings

urlpatterns = [
    path("settings/billing/", views_settings.billing_settings, name="billing_settings"),
    path("settings/taxes/", views_settings.tax_list, name="tax_list"),
    path("settings/taxes/new/", views_settings.tax_create, name="tax_create"),
    path("settings/taxes/<int:pk>/edit/", views_settings.tax_edit, name="tax_edit"),
]
