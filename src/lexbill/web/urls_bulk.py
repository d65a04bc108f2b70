"""Pages for bulk work: one action URL per kind (each guarded by the single action it repeats) and the job page."""

from django.urls import path

from . import views_bulk as v

urlpatterns = [
    path("bulk/approve/", v.bulk_approve, name="bulk_approve"),
    path("bulk/issue/", v.bulk_issue, name="bulk_issue"),
    path("bulk/send/", v.bulk_send, name="bulk_send"),
    path("bulk/zip/", v.bulk_zip, name="bulk_zip"),
    path("bulk/<int:pk>/", v.bulk_job_detail, name="bulk_job_detail"),
    path("bulk/<int:pk>/progress/", v.bulk_job_progress, name="bulk_job_progress"),
    path("bulk/<int:pk>/zip/", v.bulk_job_zip, name="bulk_job_zip"),
]
