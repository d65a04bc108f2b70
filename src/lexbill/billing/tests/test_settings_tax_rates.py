"""Tax rates: typed as percentages, kept as parts per million, checked, audited, deactivated not deleted."""

from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from lexbill.billing.domain.tax_rates import percent_to_ppm, ppm_to_percent
from lexbill.billing.models import TaxRate
from lexbill.billing.services.settings import tax_rate_create, tax_rate_deactivate, tax_rate_update
from lexbill.core.errors import Conflict, ValidationFailed
from lexbill.core.models import AuditEvent
from lexbill.testing import factories


@pytest.mark.parametrize(("typed", "ppm"), [("20", 200_000), ("8.875", 88_750), (" 7.5 % ", 75_000), ("0", 0),
                                            ("100", 1_000_000), ("0.0001", 1), (Decimal("12.50"), 125_000)])
def test_percentages_become_ppm(typed, ppm):
    assert percent_to_ppm(typed) == ppm


@pytest.mark.parametrize(("typed", "message"), [
    ("8.87501", "8.87501 % has more than 4 decimals"), ("-1", "a tax rate is between 0 and 100 %, not -1 %"),
    ("100.5", "a tax rate is between 0 and 100 %, not 100.5 %"), ("abc", "not a percentage: 'abc'"),
    ("NaN", "not a percentage: 'NaN'"), ("", "not a percentage: ''"),
])
def test_bad_percentages_are_refused(typed, message):
    with pytest.raises(ValueError) as exc:
        percent_to_ppm(typed)
    assert str(exc.value) == message


@pytest.mark.parametrize(("ppm", "shown"), [(88_750, "8.875"), (200_000, "20"), (1, "0.0001"), (0, "0")])
def test_ppm_is_shown_as_typed(ppm, shown):
    assert str(ppm_to_percent(ppm)) == shown


def test_a_firm_wide_rate_is_created_and_audited(firm, admin_user):
    rate = tax_rate_create(firm=firm, actor=admin_user, name=" NY sales tax ", rate_ppm=percent_to_ppm("8.875"),
                           applies_to_expenses=False)

    stored = TaxRate.objects.values("name", "client", "rate_ppm", "applies_to_fees", "applies_to_expenses",
                                    "is_active").get(pk=rate.pk)
    assert stored == {"name": "NY sales tax", "client": None, "rate_ppm": 88_750, "applies_to_fees": True,
                      "applies_to_expenses": False, "is_active": True}
    event = AuditEvent.objects.get(action="tax_rate.create")
    assert (event.entity, event.entity_id, event.actor_label) == ("taxrate", str(rate.pk), "admin@arnsley.example")
    assert event.after == {"name": "NY sales tax", "client": None, "rate_ppm": 88750, "applies_to_fees": True,
                           "applies_to_expenses": False, "is_active": True}


def test_the_same_name_may_exist_for_the_firm_and_for_a_client(firm, client_acme):
    tax_rate_create(firm=firm, actor=None, name="VAT", rate_ppm=200_000)
    tax_rate_create(firm=firm, actor=None, name="VAT", rate_ppm=50_000, client=client_acme)

    assert list(TaxRate.objects.order_by("rate_ppm").values_list("client__code", "rate_ppm")) == [
        ("ACME", 50_000), (None, 200_000)]


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"name": "  "}, "name", "name: This field cannot be blank."),
    ({"rate_ppm": 1_000_001}, "rate_ppm", "a tax rate is between 0 and 100 %"),
    ({"applies_to_fees": False, "applies_to_expenses": False}, "applies_to_fees",
     "a tax rate applies to fees, expenses or both"),
    ({"name": "vat"}, "name", "the firm already has an active tax rate named 'vat'"),
])
def test_bad_rates_are_refused_and_nothing_is_written(firm, fields, field, message):
    tax_rate_create(firm=firm, actor=None, name="VAT", rate_ppm=200_000)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        tax_rate_create(firm=firm, actor=None, **{"name": "GST", "rate_ppm": 100_000, **fields})

    assert (exc.value.field, exc.value.message) == (field, message)
    assert list(TaxRate.objects.values_list("name", flat=True)) == ["VAT"]
    assert AuditEvent.objects.count() == events


def test_another_firms_client_is_refused(firm, other_firm):
    with scopes_disabled():
        foreign = factories.make_client(other_firm, code="OTHER")
    with pytest.raises(ValidationFailed) as exc:
        tax_rate_create(firm=firm, actor=None, name="VAT", rate_ppm=200_000, client=foreign)

    assert (exc.value.field, exc.value.message) == ("client", "client belongs to another firm")
    assert not TaxRate.objects.exists()


def test_an_update_is_audited_with_before_and_after(firm, admin_user):
    rate = tax_rate_create(firm=firm, actor=None, name="VAT", rate_ppm=200_000)

    tax_rate_update(tax_rate=rate, actor=admin_user, rate_ppm=percent_to_ppm("17.5"), applies_to_expenses=False)

    assert TaxRate.objects.values_list("rate_ppm", "applies_to_expenses").get(pk=rate.pk) == (175_000, False)
    event = AuditEvent.objects.get(action="tax_rate.update")
    assert (event.before, event.after) == ({"rate_ppm": 200000, "applies_to_expenses": True},
                                           {"rate_ppm": 175000, "applies_to_expenses": False})


def test_an_update_to_a_taken_name_changes_nothing(firm):
    tax_rate_create(firm=firm, actor=None, name="VAT", rate_ppm=200_000)
    gst = tax_rate_create(firm=firm, actor=None, name="GST", rate_ppm=100_000)
    events = AuditEvent.objects.count()

    with pytest.raises(ValidationFailed):
        tax_rate_update(tax_rate=gst, actor=None, name="VAT", rate_ppm=1)

    assert TaxRate.objects.values_list("name", "rate_ppm").get(pk=gst.pk) == ("GST", 100_000)
    assert AuditEvent.objects.count() == events


def test_deactivate_keeps_the_rate_and_frees_its_name(firm, admin_user):
    rate = tax_rate_create(firm=firm, actor=None, name="VAT", rate_ppm=200_000)

    tax_rate_deactivate(tax_rate=rate, actor=admin_user)
    tax_rate_create(firm=firm, actor=None, name="VAT", rate_ppm=210_000)

    assert sorted(TaxRate.objects.values_list("rate_ppm", "is_active")) == [(200_000, False), (210_000, True)]
    event = AuditEvent.objects.get(action="tax_rate.update", entity_id=str(rate.pk))
    assert (event.before, event.after) == ({"is_active": True}, {"is_active": False})


def test_deactivating_twice_is_a_conflict(firm):
    rate = tax_rate_create(firm=firm, actor=None, name="VAT", rate_ppm=200_000)
    tax_rate_deactivate(tax_rate=rate, actor=None)
    events = AuditEvent.objects.count()

    with pytest.raises(Conflict) as exc:
        tax_rate_deactivate(tax_rate=rate, actor=None)

    assert exc.value.message == "tax rate VAT is already inactive"
    assert AuditEvent.objects.count() == events
