"""JSON searches behind the type-ahead inputs (matter numbers, UTBMS codes)."""

from django.urls import path

from . import views_pickers

urlpatterns = [
    path("pickers/matters/", views_pickers.matter_picker, name="matter_picker"),
    path("pickers/codes/", views_pickers.code_picker, name="code_picker"),
]
