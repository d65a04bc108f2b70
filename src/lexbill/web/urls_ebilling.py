"""Pages for e-billing: the submission dashboard, LEDES downloads, portal answers."""

from django.urls import path

from . import views_ebilling as v

urlpatterns = [
    path("ebilling/", v.ebilling_dashboard_view, name="ebilling_dashboard"),
    path("ebilling/<int:pk>/", v.submission_detail, name="submission_detail"),
    path("ebilling/<int:pk>/file/", v.submission_file, name="submission_file"),
    path("ebilling/<int:pk>/answer/", v.submission_answer, name="submission_answer"),
    path("ebilling/<int:pk>/resubmit/", v.submission_resubmit_view, name="submission_resubmit"),
    path("ebilling/<int:pk>/writedown/", v.submission_writedown, name="submission_writedown"),
    path("invoices/<int:pk>/ledes/", v.invoice_ledes, name="invoice_ledes"),
    path("invoices/<int:pk>/submit/", v.invoice_submit, name="invoice_submit"),
]
