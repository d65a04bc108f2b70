"""The small demo firm holds what docs/demo.md promises, and every row is one the services could have made."""

from collections import Counter
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model

from lexbill.clients.models import Client, ClientContact, Matter
from lexbill.core.audit import audit_verify
from lexbill.core.models import AuditEvent, Membership
from lexbill.demo.workdays import is_working_day
from lexbill.rates.models import Rate
from lexbill.rates.services import rate_resolve
from lexbill.staff.models import Timekeeper
from lexbill.timekeeping.domain import expense_amount_minor
from lexbill.timekeeping.models import Expense, TimeEntry

from .conftest import AS_OF


def test_counts_are_in_the_stated_ranges(demo):
    assert Timekeeper.objects.count() == 8
    assert Client.objects.count() == 20
    assert Matter.objects.count() == 40
    assert 1 <= Matter.objects.filter(status="closed").count() <= 8
    assert 1_000 <= TimeEntry.objects.count() <= 3_000
    assert 40 <= Expense.objects.count() <= 300
    assert ClientContact.objects.filter(is_billing_contact=True).count() == 20
    assert demo.counts["time_entries"] == TimeEntry.objects.count()
    assert demo.counts["expenses"] == Expense.objects.count()
    first, last = TimeEntry.objects.order_by("worked_on").first(), TimeEntry.objects.order_by("worked_on").last()
    assert (first.worked_on, last.worked_on) == (date(2026, 4, 1), date(2026, 6, 30))


def test_staff_has_every_role_with_plausible_rates(demo):
    by_class = Counter(Timekeeper.objects.values_list("classification", flat=True))
    assert by_class == {"PT": 3, "OC": 1, "AS": 3, "LA": 1}
    for classification, low, high in (("PT", 72_500, 125_000), ("OC", 62_500, 92_500), ("AS", 39_500, 79_500),
                                      ("LA", 19_500, 34_500)):
        for rate in Timekeeper.objects.filter(classification=classification).values_list("standard_rate_minor",
                                                                                         flat=True):
            assert low <= rate <= high
    linked = Timekeeper.objects.filter(user__isnull=False)
    assert linked.count() == 4
    assert set(Membership.objects.filter(user__timekeepers__in=linked).values_list("role", flat=True)) == {"attorney"}


def test_nothing_is_dated_after_as_of_or_on_a_weekend_or_holiday(demo):
    assert not TimeEntry.objects.filter(worked_on__gt=AS_OF).exists()
    assert not Expense.objects.filter(incurred_on__gt=AS_OF).exists()
    assert not Matter.objects.filter(opened_on__gt=AS_OF).exists()
    assert not Matter.objects.filter(closed_on__gt=AS_OF).exists()
    days = set(TimeEntry.objects.values_list("worked_on", flat=True)) | set(
        Expense.objects.values_list("incurred_on", flat=True))
    assert all(is_working_day(d) for d in days)
    assert date(2026, 5, 25) not in days  # Memorial Day


def test_work_falls_inside_each_matters_open_period(demo):
    for matter in Matter.objects.all():
        worked = matter.time_entries.values_list("worked_on", flat=True)
        assert all(matter.opened_on <= d <= (matter.closed_on or AS_OF) for d in worked), matter.number


def test_hours_are_exact_tenths_and_billable_equals_worked(demo):
    hours = list(TimeEntry.objects.values_list("hours_worked", "hours_billable"))
    assert all(isinstance(w, Decimal) and w > 0 and w % Decimal("0.1") == 0 and w == b for w, b in hours)
    assert all(w <= 11 for w, _ in hours)
    per_day = Counter()
    for tk, day, h in TimeEntry.objects.values_list("timekeeper", "worked_on", "hours_worked"):
        per_day[(tk, day)] += h
    assert max(per_day.values()) <= 11


def test_codes_charge_types_and_narratives_look_like_litigation_billing(demo):
    entries = TimeEntry.objects.all()
    tasks = set(entries.values_list("task_code", flat=True))
    activities = set(entries.values_list("activity_code", flat=True))
    assert tasks <= {f"L{n}" for n in range(110, 531)} and len(tasks) >= 15
    assert activities <= {f"A{n}" for n in range(101, 112)} and len(activities) >= 8
    charges = Counter(entries.values_list("charge_type", flat=True))
    assert charges["no_charge"] > 0 and charges["non_billable"] > 0
    assert charges["billable"] > 0.9 * entries.count()
    assert not entries.filter(narrative__contains="{").exists()
    assert entries.filter(task_code="L330", narrative__icontains="deposition").exists()


def test_matter_currency_is_its_clients_and_fee_arrangements_vary(demo):
    assert not [m.number for m in Matter.objects.select_related("client") if m.currency != m.client.currency]
    currencies = set(Client.objects.values_list("currency", flat=True))
    assert "USD" in currencies
    assert Client.objects.filter(currency="USD").count() >= 15
    arrangements = Counter(Matter.objects.values_list("fee_arrangement", flat=True))
    assert arrangements["hourly"] >= 20 and len(arrangements) >= 3
    for m in Matter.objects.exclude(fee_arrangement__in=["hourly", "contingency"]):
        assert m.fee_amount_minor and m.fee_amount_minor > 0
    for m in Matter.objects.filter(fee_arrangement="contingency"):
        assert 0 < m.fee_percent_bp <= 10_000
    assert Matter.objects.filter(billing_attorney__classification="PT").count() == 40


def test_expenses_have_e_codes_and_service_amounts(demo):
    for e in Expense.objects.all():
        assert e.expense_code.startswith("E") and len(e.expense_code) == 4
        assert e.amount_minor == expense_amount_minor(e.quantity, e.unit_cost_minor)
        assert e.amount_minor > 0  # the services refuse an expense of 0.00
        assert e.cost_type in {"hard", "soft"}
    assert {"hard", "soft"} <= set(Expense.objects.values_list("cost_type", flat=True))


def test_every_entry_has_a_rate_in_the_matters_currency(demo):
    pairs = {}
    for entry in TimeEntry.objects.select_related("matter", "matter__client", "matter__firm", "timekeeper"):
        pairs.setdefault((entry.matter_id, entry.timekeeper_id), entry)
    for entry in pairs.values():
        resolved = rate_resolve(matter=entry.matter, timekeeper=entry.timekeeper, worked_on=entry.worked_on)
        assert resolved.currency == entry.matter.currency and resolved.rate_minor > 0


def test_rates_rise_on_the_first_of_january(demo):
    partner = Timekeeper.objects.filter(classification="PT").first()
    dated = list(Rate.objects.filter(timekeeper=partner, client__isnull=True, matter__isnull=True)
                 .order_by("effective_on").values_list("effective_on", "rate_minor"))
    assert [d for d, _ in dated] == [date(2025, 1, 1), date(2026, 1, 1)]
    assert dated[0][1] < dated[1][1] == partner.standard_rate_minor
    assert Rate.objects.exclude(classification="").filter(client__isnull=False).exists()


def test_every_row_passes_model_validation(demo):
    for model in (Timekeeper, Client, ClientContact, Matter, Rate, Expense):
        for row in model.objects.all():
            row.full_clean(exclude=["created_by"])
    for entry in TimeEntry.objects.all()[:300]:
        entry.full_clean(exclude=["created_by"])


def test_one_audit_event_summarises_the_demo(demo):
    events = list(AuditEvent.objects.filter(firm=demo.firm).values_list("action", "entity_id"))
    memberships = Membership.objects.filter(firm=demo.firm, role__in=["admin", "billing", "accounting"])
    # the three staff logins each get their own event; the attorneys' logins are in the summary
    assert events == [*(("membership.set", str(pk)) for pk in memberships.order_by("pk").values_list("pk", flat=True)),
                      ("demo.create", str(demo.firm.pk))]
    summary = AuditEvent.objects.get(firm=demo.firm, action="demo.create")
    assert summary.after["counts"]["time_entries"] == TimeEntry.objects.count()
    assert audit_verify(firm=demo.firm) == []


def test_admin_logs_in_with_the_given_password(demo):
    admin = get_user_model().objects.get(username="admin@demo.lexbill.test")
    assert admin.check_password("demo-pass-123")
    assert Membership.objects.get(user=admin).role == "admin"


def test_the_firm_has_a_structured_us_address(demo):
    firm = demo.firm
    firm.refresh_from_db()

    assert (firm.city, firm.region, firm.country) == ("New York", "NY", "US")
    assert firm.address_line1.endswith(" Avenue of the Americas") and firm.address_line2.startswith("Floor ")
    assert len(firm.postcode) == 5 and firm.postcode.startswith("100") and firm.postcode.isdigit()
