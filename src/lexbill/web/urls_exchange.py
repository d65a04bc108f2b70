"""Import and export pages."""

from django.urls import path

from . import views_exchange as v

urlpatterns = [
    path("exchange/", v.exchange_index, name="exchange_index"),
    path("exchange/import/", v.exchange_import, name="exchange_import"),
    path("exchange/import/job/", v.exchange_job, name="exchange_job"),
    path("exchange/export/", v.exchange_export, name="exchange_export"),
]
