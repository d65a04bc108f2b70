"""What every web page answers to every role (admin, billing, attorney, accounting, client), by URL name.

Codes as in access_table_api, plus:
  P  allowed by access: the page handled the request (200, 302, 422 with the form's errors; an empty form is
     posted, so nothing needs to change)
Staff pages answer 404 to a client-role user, never a hint.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Page:
    method: str
    expect: str
    kwargs: dict[str, str] = field(default_factory=dict)  # URL kwarg -> World.ids key
    label: str = ""


def get(expect: str, label: str = "", **kwargs: str) -> Page:
    return Page("GET", expect, kwargs, label)


def post(expect: str, label: str = "", **kwargs: str) -> Page:
    return Page("POST", expect, kwargs, label)


READ = "OOOO4"
READ_ROW = "OO4O4"  # another attorney's row
EDIT_PAGE = "OO334"
EDIT_POST = "PP334"
OWN_EDIT_PAGE = "OOO34"
OWN_EDIT_POST = "PPP34"
THEIRS_EDIT_PAGE = "OO434"
THEIRS_EDIT_POST = "PP434"

WEB_PAGES: dict[str, list[Page]] = {
    # Not about records: every logged-in user.
    "login": [get("OOOOO")],
    "logout": [post("PPPPP")],
    "home": [get("OOOOO")],
    "firm_switch": [post("PPPPP")],
    "password_change": [get("OOOOO"), post("PPPPP")],
    "favicon": [get("OOOOO")],
    # Users: admins only ("member" is the billing user; reactivating an active member changes nothing).
    "user_list": [get("O3334")],
    "user_invite": [post("P3334")],
    "user_role": [post("P3334", user_id="member")],
    "user_deactivate": [post("O3334", user_id="member")],
    "user_reactivate": [post("P3334", user_id="member")],
    "user_reset_password": [post("O3334", user_id="member")],
    "search": [get(READ)],
    # Import and export: exports.change / exports.view (the CLI's `import` and `export`).
    "exchange_index": [get("OO3O4")],
    "exchange_import": [get(EDIT_PAGE), post(EDIT_POST)],
    "exchange_job": [get(EDIT_PAGE)],  # without a job: back to the form
    "exchange_export": [get("OO3O4")],  # without a kind: back to the list
    "client_list": [get(READ)],
    "client_create": [get(EDIT_PAGE), post(EDIT_POST)],
    "client_detail": [get(READ, pk="client")],
    "client_edit": [get(EDIT_PAGE, pk="client"), post(EDIT_POST, pk="client")],
    "contact_add": [post(EDIT_POST, pk="client")],
    "matter_list": [get(READ)],
    "matter_create": [get(EDIT_PAGE), post(EDIT_POST)],
    "matter_detail": [get(READ, pk="matter")],
    "matter_edit": [get(EDIT_PAGE, pk="matter"), post(EDIT_POST, pk="matter")],
    "matter_payors": [get(EDIT_PAGE, pk="matter"), post(EDIT_POST, pk="matter")],
    "timekeeper_list": [get(READ)],
    "timekeeper_create": [get(EDIT_PAGE), post(EDIT_POST)],
    "timekeeper_detail": [get(READ, pk="timekeeper")],
    "timekeeper_edit": [get(EDIT_PAGE, pk="timekeeper"), post(EDIT_POST, pk="timekeeper")],
    "rate_list": [get(READ)],
    "rate_create": [get(EDIT_PAGE), post(EDIT_POST)],
    "rate_detail": [get(READ, pk="rate")],
    "rate_edit": [get(EDIT_PAGE, pk="rate"), post(EDIT_POST, pk="rate")],
    "time_grid": [get(READ)],
    "matter_picker": [get(READ)],
    "code_picker": [get(READ)],
    "time_entry_new": [get(OWN_EDIT_PAGE), post(OWN_EDIT_POST)],
    "time_bulk_charge": [post(OWN_EDIT_POST)],
    "time_row": [get(READ_ROW, "theirs", entry_id="entry"), get(READ, "own", entry_id="own_entry")],
    "time_row_edit": [get(THEIRS_EDIT_PAGE, "theirs", entry_id="entry"),
                      get(OWN_EDIT_PAGE, "own", entry_id="own_entry"),
                      post(THEIRS_EDIT_POST, "theirs", entry_id="entry")],
    "timer_panel": [get(READ)],
    "timer_start": [post(OWN_EDIT_POST)],
    # Timers are each user's own clock: only the attorney's own timer is found for her.
    "timer_pause": [post("44P34", "own", timer_id="own_timer"), post("4P434", "billing's", timer_id="timer")],
    "timer_resume": [post("44P34", "own", timer_id="own_timer"), post("4P434", "billing's", timer_id="timer")],
    "timer_stop": [post("44P34", "own", timer_id="own_timer"), post("4P434", "billing's", timer_id="timer")],
    "expense_list": [get(READ)],
    "expense_new": [get(OWN_EDIT_PAGE), post(OWN_EDIT_POST)],
    "expense_edit": [get(THEIRS_EDIT_PAGE, "theirs", expense_id="expense"),
                     get(OWN_EDIT_PAGE, "own", expense_id="own_expense"),
                     post(THEIRS_EDIT_POST, "theirs", expense_id="expense")],
    "expense_delete": [get(THEIRS_EDIT_PAGE, "theirs", expense_id="expense"),
                       post(THEIRS_EDIT_POST, "theirs", expense_id="expense"),
                       post(OWN_EDIT_POST, "own", expense_id="own_expense")],
    "prebill_list": [get(READ)],
    "prebill_review": [get(READ_ROW, "theirs", prebill_id="prebill"), get(READ, "own", prebill_id="own_prebill")],
    "prebill_pdf": [get(READ_ROW, prebill_id="prebill")],
    "prebill_line_narrative": [post(THEIRS_EDIT_POST, prebill_id="prebill", line_id="line"),
                               post(EDIT_POST, "own", prebill_id="own_prebill", line_id="own_line")],
    "prebill_line_write": [post(THEIRS_EDIT_POST, prebill_id="prebill", line_id="line")],
    "prebill_line_no_charge": [post(THEIRS_EDIT_POST, prebill_id="prebill", line_id="line")],
    "prebill_line_codes": [post(THEIRS_EDIT_POST, prebill_id="prebill", line_id="line")],
    "prebill_line_move": [post(THEIRS_EDIT_POST, prebill_id="prebill", line_id="line")],
    "prebill_line_hold": [post(THEIRS_EDIT_POST, prebill_id="prebill", line_id="line")],
    "prebill_line_query": [post(THEIRS_EDIT_POST, prebill_id="prebill", line_id="line")],
    "prebill_write": [post(THEIRS_EDIT_POST, prebill_id="prebill")],
    "prebill_query": [post(THEIRS_EDIT_POST, prebill_id="prebill")],
    "prebill_query_answer": [post(THEIRS_EDIT_POST, prebill_id="prebill", query_id="query")],
    "prebill_submit": [post(THEIRS_EDIT_POST, prebill_id="prebill")],
    "prebill_approve": [post(THEIRS_EDIT_POST, "theirs", prebill_id="prebill"),
                        post(OWN_EDIT_POST, "own", prebill_id="own_prebill")],
    "prebill_reject": [post(THEIRS_EDIT_POST, "theirs", prebill_id="prebill"),
                       post(OWN_EDIT_POST, "own", prebill_id="own_prebill")],
    "prebill_issue": [post(THEIRS_EDIT_POST, prebill_id="prebill"),
                      post(EDIT_POST, "own", prebill_id="own_prebill")],
    "approval_queue": [get(READ)],
    "billrun_list": [get(READ)],
    "billrun_launch": [get(EDIT_PAGE), post(EDIT_POST)],
    "billrun_detail": [get(READ, pk="bill_run")],
    "billrun_progress": [get(READ, pk="bill_run")],
    "invoice_list": [get(READ)],
    "invoice_detail": [get(READ_ROW, pk="invoice")],
    "invoice_pdf": [get(READ_ROW, pk="invoice")],
    "invoice_send": [post(EDIT_POST, pk="invoice")],
    "delivery_retry": [post(EDIT_POST, pk="delivery")],
    "invoice_credit": [post(EDIT_POST, pk="invoice")],
    "invoice_rebill": [post(EDIT_POST, pk="invoice")],
    "billing_settings": [get("O3334"), post("P3334")],
    "tax_list": [get(EDIT_PAGE)],
    "tax_create": [get(EDIT_PAGE), post(EDIT_POST)],
    "tax_edit": [get(EDIT_PAGE, pk="tax"), post(EDIT_POST, pk="tax")],
    "matter_fees": [get(READ, pk="matter")],
    "fee_item_add": [post(EDIT_POST, pk="matter")],
    "recovery_add": [post(EDIT_POST, pk="contingency")],
    "fee_item_edit": [get(EDIT_PAGE, pk="fee_item"), post(EDIT_POST, pk="fee_item")],
    "fee_item_reached": [post(EDIT_POST, pk="fee_item")],
    "fee_item_unreached": [post(EDIT_POST, pk="fee_item")],
    "fee_item_delete": [post(EDIT_POST, pk="fee_item")],
    "recovery_delete": [post(EDIT_POST, pk="recovery")],
    "ebilling_dashboard": [get(READ)],
    "submission_detail": [get(READ_ROW, pk="submission")],
    "submission_file": [get(READ_ROW, pk="submission")],
    "submission_answer": [post(EDIT_POST, pk="submission")],
    "submission_resubmit": [post(EDIT_POST, pk="submission")],
    "submission_writedown": [post(EDIT_POST, pk="submission")],
    "invoice_ledes": [get(READ_ROW, pk="invoice")],
    # Bulk actions: allowed to whoever may do the single action (an empty form is refused on the page).
    "bulk_approve": [post("PPP34")],
    "bulk_issue": [post(EDIT_POST)],
    "bulk_send": [post(EDIT_POST)],
    "bulk_zip": [post("PPPP4")],
    # The admin's ZIP job: those who see every invoice see it; the attorney only her own jobs.
    "bulk_job_detail": [get(READ_ROW, pk="bulk_job")],
    "bulk_job_progress": [get(READ_ROW, pk="bulk_job")],
    "bulk_job_zip": [get(READ_ROW, pk="bulk_job")],
    "invoice_submit": [post(EDIT_POST, pk="invoice")],
}
