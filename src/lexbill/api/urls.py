"""The JSON API at /api/v1/: one router per resource, token auth bound to a firm, typed errors.

ninja's interactive docs page loads Swagger UI from a CDN, which lexbill never does at run time, so
it is off; the OpenAPI document is at /api/v1/openapi.json.
"""

from ninja import NinjaAPI

from . import (
    billing_invoices,
    billing_prebills,
    bulk_jobs,
    clients,
    ebilling,
    expenses,
    matters,
    payors,
    rates,
    search,
    time_entries,
    timekeepers,
    timers,
    users,
)
from .auth import FirmTokenAuth
from .errors import install_error_handlers

api = NinjaAPI(
    title="lexbill API",
    version="1",
    urls_namespace="api",
    auth=FirmTokenAuth(),
    docs_url=None,
    description="The billing back office of a law firm. See docs/api.md.",
)
install_error_handlers(api)

api.add_router("/clients", clients.router)
api.add_router("/matters", matters.router)
api.add_router("/matters", payors.router)
api.add_router("/timekeepers", timekeepers.router)
api.add_router("/time-entries", time_entries.router)
api.add_router("/expenses", expenses.router)
api.add_router("/timers", timers.router)
api.add_router("/rates", rates.router)
api.add_router("/users", users.router)
api.add_router("/", billing_prebills.router)  # /bill-runs, /prebills
api.add_router("/", billing_invoices.router)  # /invoices
api.add_router("/", ebilling.router)  # /submissions, /invoices/{id}/ledes
api.add_router("/", bulk_jobs.router)  # /bulk-jobs
api.add_router("/", search.router)  # /search
