"""Pages for clients, matters, timekeepers and rates."""

from django.urls import path

from .views_records import clients, matters, payors, rates, timekeepers

urlpatterns = [
    path("clients/", clients.client_list, name="client_list"),
    path("clients/new/", clients.client_create, name="client_create"),
    path("clients/<int:pk>/", clients.client_detail, name="client_detail"),
    path("clients/<int:pk>/edit/", clients.client_edit, name="client_edit"),
    path("clients/<int:pk>/contacts/add/", clients.contact_add, name="contact_add"),
    path("matters/", matters.matter_list, name="matter_list"),
    path("matters/new/", matters.matter_create, name="matter_create"),
    path("matters/<int:pk>/", matters.matter_detail, name="matter_detail"),
    path("matters/<int:pk>/edit/", matters.matter_edit, name="matter_edit"),
    path("matters/<int:pk>/payors/", payors.matter_payors_edit, name="matter_payors"),
    path("timekeepers/", timekeepers.timekeeper_list, name="timekeeper_list"),
    path("timekeepers/new/", timekeepers.timekeeper_create, name="timekeeper_create"),
    path("timekeepers/<int:pk>/", timekeepers.timekeeper_detail, name="timekeeper_detail"),
    path("timekeepers/<int:pk>/edit/", timekeepers.timekeeper_edit, name="timekeeper_edit"),
    path("rates/", rates.rate_list, name="rate_list"),
    path("rates/new/", rates.rate_create, name="rate_create"),
    path("rates/<int:pk>/", rates.rate_detail, name="rate_detail"),
    path("rates/<int:pk>/edit/", rates.rate_edit, name="rate_edit"),
]
