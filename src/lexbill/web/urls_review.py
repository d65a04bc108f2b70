"""Pages for pre-bills: the list, the review page and its actions, the approval queue."""

from django.urls import path

from . import views_approvals, views_prebills, views_review

LINE = "prebills/<int:prebill_id>/lines/<int:line_id>/"

urlpatterns = [
    path("prebills/", views_prebills.prebill_list_view, name="prebill_list"),
    path("prebills/<int:prebill_id>/", views_prebills.prebill_review, name="prebill_review"),
    path("prebills/<int:prebill_id>/pdf/", views_prebills.prebill_pdf, name="prebill_pdf"),
    path(LINE + "narrative/", views_review.line_narrative, name="prebill_line_narrative"),
    path(LINE + "codes/", views_review.line_codes, name="prebill_line_codes"),
    path(LINE + "write/", views_review.line_write, name="prebill_line_write"),
    path(LINE + "no-charge/", views_review.line_no_charge, name="prebill_line_no_charge"),
    path(LINE + "move/", views_review.line_move, name="prebill_line_move"),
    path(LINE + "hold/", views_review.line_hold, name="prebill_line_hold"),
    path(LINE + "query/", views_review.line_query, name="prebill_line_query"),
    path("prebills/<int:prebill_id>/write/", views_review.bill_write, name="prebill_write"),
    path("prebills/<int:prebill_id>/query/", views_review.bill_query, name="prebill_query"),
    path("prebills/<int:prebill_id>/queries/<int:query_id>/answer/", views_approvals.prebill_query_answer_view,
         name="prebill_query_answer"),
    path("prebills/<int:prebill_id>/submit/", views_approvals.prebill_submit_view, name="prebill_submit"),
    path("prebills/<int:prebill_id>/approve/", views_approvals.prebill_approve_view, name="prebill_approve"),
    path("prebills/<int:prebill_id>/reject/", views_approvals.prebill_reject_view, name="prebill_reject"),
    path("prebills/<int:prebill_id>/issue/", views_approvals.prebill_issue_view, name="prebill_issue"),
    path("approvals/", views_approvals.approval_queue, name="approval_queue"),
]
