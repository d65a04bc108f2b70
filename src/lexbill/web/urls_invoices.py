"""Pages for bill runs (launcher with progress) and invoices (list, detail, PDF, credit notes)."""

from django.urls import path

from . import views_billruns, views_invoices

urlpatterns = [
    path("billruns/", views_billruns.billrun_list, name="billrun_list"),
    path("billruns/new/", views_billruns.billrun_launch, name="billrun_launch"),
    path("billruns/<int:pk>/", views_billruns.billrun_detail, name="billrun_detail"),
    path("billruns/<int:pk>/progress/", views_billruns.billrun_progress, name="billrun_progress"),
    path("invoices/", views_invoices.invoice_list, name="invoice_list"),
    path("invoices/<int:pk>/", views_invoices.invoice_detail, name="invoice_detail"),
    path("invoices/<int:pk>/pdf/", views_invoices.invoice_pdf, name="invoice_pdf"),
    path("invoices/<int:pk>/send/", views_invoices.invoice_send_view, name="invoice_send"),
    path("deliveries/<int:pk>/retry/", views_invoices.delivery_retry_view, name="delivery_retry"),
    path("invoices/<int:pk>/credit/", views_invoices.invoice_credit, name="invoice_credit"),
    path("invoices/<int:pk>/rebill/", views_invoices.invoice_rebill, name="invoice_rebill"),
]
