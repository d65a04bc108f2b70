"""Pages for time entries (the review grid), timers and expenses."""

from django.urls import path

from . import views_expenses, views_time, views_timers

urlpatterns = [
    path("time/", views_time.time_grid, name="time_grid"),
    path("time/new/", views_time.time_entry_new, name="time_entry_new"),
    path("time/bulk/charge/", views_time.time_bulk_charge, name="time_bulk_charge"),
    path("time/<int:entry_id>/row/", views_time.time_row, name="time_row"),
    path("time/<int:entry_id>/edit/", views_time.time_row_edit, name="time_row_edit"),
    path("time/timers/", views_timers.timer_panel, name="timer_panel"),
    path("time/timers/start/", views_timers.timer_start_view, name="timer_start"),
    path("time/timers/<int:timer_id>/pause/", views_timers.timer_pause_view, name="timer_pause"),
    path("time/timers/<int:timer_id>/resume/", views_timers.timer_resume_view, name="timer_resume"),
    path("time/timers/<int:timer_id>/stop/", views_timers.timer_stop_view, name="timer_stop"),
    path("expenses/", views_expenses.expense_list_view, name="expense_list"),
    path("expenses/new/", views_expenses.expense_new, name="expense_new"),
    path("expenses/<int:expense_id>/edit/", views_expenses.expense_edit, name="expense_edit"),
    path("expenses/<int:expense_id>/delete/", views_expenses.expense_delete_view, name="expense_delete"),
]
