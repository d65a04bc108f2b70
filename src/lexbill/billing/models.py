"""Bill runs, pre-bills (pro forma), invoices, credit notes, taxes and number series.

Money is integer minor units; hours are HoursField (exact thousandths). An issued invoice and its lines
never change (invariant 2): corrections are credit notes, which are invoices of kind CREDIT_NOTE with
negative amounts and a series of their own.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django_scopes import ScopedManager

from lexbill.clients.models import Client, Matter
from lexbill.core.currencies import CurrencyField
from lexbill.core.fields import HoursField, ThousandthsField
from lexbill.core.models import Firm
from lexbill.staff.models import Timekeeper
from lexbill.timekeeping.models import Expense, TimeEntry


class TaxMethod(models.TextChoices):
    NONE = "none", "No tax"
    PER_LINE = "per_line", "Per line"
    ON_TOTAL = "on_total", "On the total (allocated to lines)"


DEFAULT_INVOICE_NUMBER_FORMAT = "{year}-{seq:05d}"
DEFAULT_CREDIT_NOTE_NUMBER_FORMAT = "CN{year}-{seq:05d}"
DEFAULT_EMAIL_SUBJECT = "Invoice {number} from {firm}"
DEFAULT_EMAIL_BODY = ("Dear {contact},\n\nPlease find attached invoice {number} of {issued_on} for {total}, due on "
                      "{due_on}.\n\nKind regards,\n{firm}")


class FirmBillingSettings(models.Model):
    """The firm's billing settings: numbering, tax, what invoices and their emails say. Owned by billing (not
    core.Firm), read through `firm_billing_settings`, which gives the defaults while a firm has no row yet."""

    firm = models.OneToOneField(Firm, on_delete=models.CASCADE, primary_key=True, related_name="billing_settings")
    invoice_number_format = models.CharField(max_length=60, default=DEFAULT_INVOICE_NUMBER_FORMAT,
                                             help_text="Python format with {year} and {seq}")
    credit_note_number_format = models.CharField(max_length=60, default=DEFAULT_CREDIT_NOTE_NUMBER_FORMAT)
    tax_method = models.CharField(max_length=10, choices=TaxMethod.choices, default=TaxMethod.NONE)
    payment_instructions = models.TextField(blank=True)
    invoice_email_subject = models.CharField(max_length=200, default=DEFAULT_EMAIL_SUBJECT)
    invoice_email_body = models.TextField(default=DEFAULT_EMAIL_BODY)

    objects: models.Manager[FirmBillingSettings] = ScopedManager(firm="firm")  # queries outside a firm scope raise

    def __str__(self) -> str:
        return f"billing settings of firm {self.firm_id}"


class MissingCodes(models.TextChoices):
    """What approval does with lines missing a UTBMS code the client (or matter) requires."""

    REFUSE = "refuse", "Refuse approval until the lines are coded"
    WARN = "warn", "Warn on the pre-bill, approve anyway"


class ClientBillingSettings(models.Model):
    """A client's billing settings that override the firm's (read through `client_billing_settings`)."""

    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="+")
    client = models.OneToOneField(Client, on_delete=models.CASCADE, primary_key=True, related_name="billing_settings")
    tax_method = models.CharField(max_length=10, choices=TaxMethod.choices, blank=True,
                                  help_text="Overrides the firm's; empty: the firm's")
    # Refuse by default: a client that requires codes rejects an uncoded LEDES line at its portal, after the
    # invoice is issued and frozen; only clients with required code sets are affected at all.
    missing_codes = models.CharField(max_length=10, choices=MissingCodes.choices, default=MissingCodes.REFUSE,
                                     help_text="Lines missing a required UTBMS code: refuse approval or only warn")

    objects: models.Manager[ClientBillingSettings] = ScopedManager(firm="firm")  # queries outside a firm scope raise

    def __str__(self) -> str:
        return f"billing settings of client {self.client_id}"


def firm_billing_settings(firm: Firm) -> FirmBillingSettings:
    """The firm's stored billing settings, or the defaults (unsaved) while it has none. No query when the firm
    was read with select_related("billing_settings")."""
    if Firm.billing_settings.is_cached(firm):  # type: ignore[attr-defined]
        return getattr(firm, "billing_settings", None) or FirmBillingSettings(firm=firm)
    return FirmBillingSettings.objects.filter(firm=firm).first() or FirmBillingSettings(firm=firm)


def client_billing_settings(client: Client) -> ClientBillingSettings:
    """The client's stored billing settings, or the defaults (unsaved: the firm's) while it has none. No query
    when the client was read with select_related("billing_settings")."""
    if Client.billing_settings.is_cached(client):  # type: ignore[attr-defined]
        cached = getattr(client, "billing_settings", None)
    else:
        cached = ClientBillingSettings.objects.filter(client=client).first()
    return cached or ClientBillingSettings(firm_id=client.firm_id, client=client)


class TaxRate(models.Model):
    """A VAT/GST/sales-tax rate. Client-specific rates replace the firm-wide ones for that client."""

    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, null=True, blank=True, on_delete=models.CASCADE, related_name="tax_rates")
    name = models.CharField(max_length=60)
    rate_ppm = models.PositiveIntegerField(help_text="Parts per million: 20 % = 200000, 8.875 % = 88750")
    applies_to_fees = models.BooleanField(default=True)
    applies_to_expenses = models.BooleanField(default=True)
    is_active = models.BooleanField(default=True)

    objects: models.Manager[TaxRate] = ScopedManager(firm="firm")  # queries outside a firm scope raise

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.rate_ppm} ppm)"


class FeeItem(models.Model):
    """A flat-fee instalment: billed when its date comes (schedule) or when marked reached (milestone).
    A phase/task code makes it a flat fee for that phase only (time coded to the phase is not billed)."""

    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="+")
    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="fee_items")
    description = models.CharField(max_length=200)
    amount_minor = models.BigIntegerField()
    task_code = models.CharField(max_length=10, blank=True, help_text="UTBMS phase/task this fee covers")
    due_on = models.DateField(null=True, blank=True, help_text="Scheduled: billable from this date")
    is_milestone_reached = models.BooleanField(default=False, help_text="Milestone: billable once reached")
    created_at = models.DateTimeField(auto_now_add=True)

    objects: models.Manager[FeeItem] = ScopedManager(firm="firm")  # queries outside a firm scope raise

    class Meta:
        ordering = ["matter", "due_on", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount_minor__gte=0), name="feeitem_not_negative")]

    def __str__(self) -> str:
        return self.description


class Recovery(models.Model):
    """Money recovered for the client on a contingency matter; the firm bills its percentage of it."""

    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="+")
    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="recoveries")
    received_on = models.DateField()
    amount_minor = models.BigIntegerField()
    description = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: models.Manager[Recovery] = ScopedManager(firm="firm")  # queries outside a firm scope raise

    class Meta:
        ordering = ["matter", "received_on"]
        constraints = [models.CheckConstraint(condition=models.Q(amount_minor__gt=0), name="recovery_positive")]

    def __str__(self) -> str:
        return f"recovery {self.amount_minor} on {self.received_on}"


class NumberSeries(models.Model):
    """A gapless number series per firm (and per year when the format has {year}).

    `invoice_issue` locks the row, takes `next_seq` and increments it in the transaction that creates the
    invoice: both commit or neither does, so there is never a gap or a duplicate.
    """

    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=20, help_text="invoice or credit_note")
    year = models.PositiveIntegerField(default=0, help_text="0 when the format has no {year}")
    number_format = models.CharField(max_length=60, default="{year}-{seq:05d}")
    next_seq = models.PositiveBigIntegerField(default=1)

    objects: models.Manager[NumberSeries] = ScopedManager(firm="firm")  # queries outside a firm scope raise

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["firm", "name", "year"], name="series_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.year} next {self.next_seq}"


class BillRunStatus(models.TextChoices):
    PENDING = "pending", "Waiting to start"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class BillRun(models.Model):
    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="+")
    through_on = models.DateField(help_text="Cut-off: work up to and including this date")
    selection = models.JSONField(default=dict, blank=True, help_text="client / matters / billing attorney")
    status = models.CharField(max_length=10, choices=BillRunStatus.choices, default=BillRunStatus.PENDING)
    total_matters = models.PositiveIntegerField(default=0)
    done_matters = models.PositiveIntegerField(default=0)
    prebills_created = models.PositiveIntegerField(default=0)
    skipped = models.JSONField(default=list, blank=True, help_text="[{matter, reason}]")
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects: models.Manager[BillRun] = ScopedManager(firm="firm")  # queries outside a firm scope raise

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"bill run {self.pk} through {self.through_on}"


class PreBillStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    ISSUED = "issued", "Issued"
    CANCELLED = "cancelled", "Cancelled"


OPEN_PREBILL_STATUSES = (PreBillStatus.DRAFT, PreBillStatus.IN_REVIEW, PreBillStatus.APPROVED)


class PreBill(models.Model):
    """An editable draft invoice for one matter (or one client, when consolidated)."""

    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="+")
    bill_run = models.ForeignKey(BillRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="prebills")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="prebills")
    matter = models.ForeignKey(Matter, null=True, blank=True, on_delete=models.PROTECT, related_name="prebills",
                               help_text="Empty for a consolidated (per-client) pre-bill")
    currency = CurrencyField()
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField()
    status = models.CharField(max_length=12, choices=PreBillStatus.choices, default=PreBillStatus.DRAFT)
    group_by = models.CharField(max_length=10, default="date", help_text="date or phase (PDF layout)")
    rejected_reason = models.TextField(blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    # Why the approver approved although queries were still open (empty: approved with none open); issue
    # checks it, so a bill approved with open queries and no recorded reason cannot be issued.
    open_queries_override_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: models.Manager[PreBill] = ScopedManager(firm="firm")  # queries outside a firm scope raise

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # A bill run makes at most one pre-bill per matter (reruns are idempotent).
            models.UniqueConstraint(fields=["firm", "bill_run", "matter"], name="prebill_one_per_run_matter"),
        ]
        indexes = [models.Index(fields=["firm", "status"], name="prebill_status_idx")]

    def __str__(self) -> str:
        return f"pre-bill {self.pk}"


TOTAL_IS_BASE_PLUS_ADJUSTMENT = models.Q(total_minor=models.F("base_minor") + models.F("adjustment_minor"))


class LineKind(models.TextChoices):
    FEE = "fee", "Fee (time)"
    EXPENSE = "expense", "Expense"
    FIXED_FEE = "fixed_fee", "Fixed fee"  # flat fee, retainer, contingency share
    ADJUSTMENT = "adjustment", "Adjustment"  # bill-level write-down/up, cap excess


class PreBillLine(models.Model):
    """One line of a pre-bill. Base amount = round(hours_billed x rate) (fees) or the expense amount;
    total = base + adjustment (write-down negative, write-up positive)."""

    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="+")
    prebill = models.ForeignKey(PreBill, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=12, choices=LineKind.choices)
    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="+")
    time_entry = models.ForeignKey(TimeEntry, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="prebill_lines")
    expense = models.ForeignKey(Expense, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="prebill_lines")
    fee_item = models.ForeignKey(FeeItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recovery = models.ForeignKey(Recovery, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    is_current = models.BooleanField(default=True, help_text="False once held, moved, cancelled or issued")
    on_date = models.DateField()
    timekeeper = models.ForeignKey(Timekeeper, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    hours_worked = HoursField(null=True, blank=True)
    hours_billed = HoursField(null=True, blank=True)
    rate_minor = models.BigIntegerField(null=True, blank=True)
    quantity = ThousandthsField(null=True, blank=True)
    unit_cost_minor = models.BigIntegerField(null=True, blank=True)
    base_minor = models.BigIntegerField(default=0)
    adjustment_minor = models.BigIntegerField(default=0)
    total_minor = models.BigIntegerField(default=0)
    narrative = models.TextField(blank=True)
    task_code = models.CharField(max_length=10, blank=True)
    activity_code = models.CharField(max_length=10, blank=True)
    expense_code = models.CharField(max_length=10, blank=True)
    is_no_charge = models.BooleanField(default=False)
    is_held = models.BooleanField(default=False)

    objects: models.Manager[PreBillLine] = ScopedManager(firm="firm")  # queries outside a firm scope raise

    class Meta:
        ordering = ["prebill", "position", "id"]
        constraints = [
            # Invariant 5: an entry sits on at most one current pre-bill line.
            models.UniqueConstraint(fields=["time_entry"], condition=models.Q(is_current=True),
                                    name="prebillline_entry_once"),
            models.UniqueConstraint(fields=["expense"], condition=models.Q(is_current=True),
                                    name="prebillline_expense_once"),
            models.UniqueConstraint(fields=["fee_item"], condition=models.Q(is_current=True),
                                    name="prebillline_fee_item_once"),
            models.UniqueConstraint(fields=["recovery"], condition=models.Q(is_current=True),
                                    name="prebillline_recovery_once"),
            models.CheckConstraint(condition=TOTAL_IS_BASE_PLUS_ADJUSTMENT,
                                   name="prebillline_total_is_base_plus_adjustment"),
        ]

    def __str__(self) -> str:
        return f"line {self.position} of pre-bill {self.prebill_id}"


class PreBillQuery(models.Model):
    """A question from the billing clerk to the lawyer about a line (or the whole bill), and the answer."""

    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="+")
    prebill = models.ForeignKey(PreBill, on_delete=models.CASCADE, related_name="queries")
    line = models.ForeignKey(PreBillLine, null=True, blank=True, on_delete=models.CASCADE, related_name="queries")
    question = models.TextField()
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    asked_at = models.DateTimeField()
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    objects: models.Manager[PreBillQuery] = ScopedManager(firm="firm")  # queries outside a firm scope raise

    class Meta:
        ordering = ["asked_at"]

    def __str__(self) -> str:
        return self.question[:40]


class InvoiceKind(models.TextChoices):
    INVOICE = "invoice", "Invoice"
    CREDIT_NOTE = "credit_note", "Credit note"


class Invoice(models.Model):
    """Issued and frozen. Totals: fees + expenses + adjustments = subtotal; subtotal + tax = total."""

    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=InvoiceKind.choices, default=InvoiceKind.INVOICE)
    number = models.CharField(max_length=40)
    # Several invoices come from one pre-bill when its matter is split between payors (one per payor).
    prebill = models.ForeignKey(PreBill, null=True, blank=True, on_delete=models.PROTECT, related_name="invoices")
    credits = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="credit_notes",
                                help_text="For a credit note: the invoice it corrects")
    reason = models.TextField(blank=True, help_text="Why a credit note was issued")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="invoices")
    matter = models.ForeignKey(Matter, null=True, blank=True, on_delete=models.PROTECT, related_name="invoices")
    payor_share_bp = models.PositiveIntegerField(
        null=True, blank=True, help_text="Split billing: the share of the matter's bill this payor pays (basis points)")
    payor_matter_id = models.CharField(max_length=60, blank=True,
                                       help_text="Split billing: the payor's own matter id, as issued")
    currency = CurrencyField()
    issued_on = models.DateField()
    due_on = models.DateField()
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    fees_minor = models.BigIntegerField()
    expenses_minor = models.BigIntegerField()
    adjustments_minor = models.BigIntegerField()
    subtotal_minor = models.BigIntegerField()
    tax_minor = models.BigIntegerField()
    total_minor = models.BigIntegerField()
    tax_method = models.CharField(max_length=10, choices=TaxMethod.choices, default=TaxMethod.NONE)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    # Invariant 2: what the documents show of the firm, client, matters and timekeepers, as it was at issue
    # (billing/snapshot.py). PDF and LEDES read names, addresses and ids from here, never from live rows.
    snapshot = models.JSONField(default=dict, blank=True, editable=False)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    issued_at = models.DateTimeField()

    objects: models.Manager[Invoice] = ScopedManager(firm="firm")  # queries outside a firm scope raise

    class Meta:
        ordering = ["-issued_on", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["firm", "kind", "number"], name="invoice_unique_number"),
            models.CheckConstraint(
                condition=models.Q(subtotal_minor=models.F("fees_minor") + models.F("expenses_minor")
                                   + models.F("adjustments_minor")),
                name="invoice_subtotal_adds_up"),
            models.CheckConstraint(condition=models.Q(total_minor=models.F("subtotal_minor") + models.F("tax_minor")),
                                   name="invoice_total_adds_up"),
        ]
        indexes = [models.Index(fields=["firm", "client", "issued_on"], name="invoice_client_idx")]

    def __str__(self) -> str:
        return self.number


class InvoiceLine(models.Model):
    """A frozen line: what the client was billed, with timekeeper details snapshotted."""

    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="+")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="lines")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=12, choices=LineKind.choices)
    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="+")
    time_entry = models.ForeignKey(TimeEntry, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="invoice_lines")
    expense = models.ForeignKey(Expense, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="invoice_lines")
    fee_item = models.ForeignKey(FeeItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recovery = models.ForeignKey(Recovery, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    on_date = models.DateField()
    timekeeper = models.ForeignKey(Timekeeper, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    timekeeper_name = models.CharField(max_length=200, blank=True)
    timekeeper_classification = models.CharField(max_length=2, blank=True)
    hours_worked = HoursField(null=True, blank=True)
    hours_billed = HoursField(null=True, blank=True)
    rate_minor = models.BigIntegerField(null=True, blank=True)
    quantity = ThousandthsField(null=True, blank=True)
    unit_cost_minor = models.BigIntegerField(null=True, blank=True)
    base_minor = models.BigIntegerField()
    adjustment_minor = models.BigIntegerField()
    total_minor = models.BigIntegerField(help_text="Before tax")
    tax_minor = models.BigIntegerField(default=0, help_text="This line's share of the invoice tax")
    narrative = models.TextField(blank=True)
    task_code = models.CharField(max_length=10, blank=True)
    activity_code = models.CharField(max_length=10, blank=True)
    expense_code = models.CharField(max_length=10, blank=True)
    is_no_charge = models.BooleanField(default=False)

    objects: models.Manager[InvoiceLine] = ScopedManager(firm="firm")  # queries outside a firm scope raise

    class Meta:
        ordering = ["invoice", "position"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "position"], name="invoiceline_unique_position"),
            models.CheckConstraint(condition=TOTAL_IS_BASE_PLUS_ADJUSTMENT,
                                   name="invoiceline_total_is_base_plus_adjustment"),
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id}/{self.position}"


class InvoiceTax(models.Model):
    """One tax on an invoice: the rate applied, the taxable base and the tax, as issued."""

    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="+")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="taxes")
    name = models.CharField(max_length=60)
    rate_ppm = models.PositiveIntegerField()
    taxable_minor = models.BigIntegerField()
    tax_minor = models.BigIntegerField()

    objects: models.Manager[InvoiceTax] = ScopedManager(firm="firm")  # queries outside a firm scope raise

    def __str__(self) -> str:
        return f"{self.name} on {self.invoice_id}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Being sent (or the process stopped before the server answered)"
    SENT = "sent", "Accepted by the mail server"
    FAILED = "failed", "Refused or not reached: can be retried"


class DocumentKind(models.TextChoices):
    PDF = "pdf", "PDF"


class InvoiceDocument(models.Model):
    """A rendered document of an issued invoice, kept byte for byte with its SHA-256: written once (at its first
    rendering, from the invoice's snapshot), never updated or deleted; every later download returns these bytes."""

    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="+")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=10, choices=DocumentKind.choices)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    objects: models.Manager[InvoiceDocument] = ScopedManager(firm="firm")  # queries outside a firm scope raise

    class Meta:
        constraints = [models.UniqueConstraint(fields=["firm", "invoice", "kind"], name="invoicedocument_once")]

    def __str__(self) -> str:
        return f"{self.kind} of {self.invoice_id}"


class Delivery(models.Model):
    """One attempt to email an invoice: to whom, what (attachment names and hashes), and how it ended.

    Recorded as PENDING (and committed) before the message goes to the mail server; SENT, with `sent_at`,
    only once the server accepted it; FAILED, with the server's answer, when it did not. A FAILED or
    PENDING delivery can be retried (`delivery_retry`, `lexbill invoice send --run` again).
    """

    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="+")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="deliveries")
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.SENT)
    attempted_at = models.DateTimeField(null=True, blank=True, help_text="when the message last went to the server")
    sent_at = models.DateTimeField(null=True, blank=True, help_text="when the mail server accepted it")
    error = models.TextField(blank=True, help_text="the mail server's answer to the last failed attempt")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    recipients = models.JSONField(default=list)
    subject = models.CharField(max_length=200)
    attachments = models.JSONField(default=list, help_text="[{name, sha256}]")

    objects: models.Manager[Delivery] = ScopedManager(firm="firm")  # queries outside a firm scope raise

    class Meta:
        ordering = ["-attempted_at", "-pk"]
        indexes = [models.Index(fields=["firm", "invoice", "status"], name="delivery_status_idx")]

    def __str__(self) -> str:
        return f"{self.invoice_id} {self.status} {self.attempted_at or self.sent_at}"


# Bulk jobs live in their own module (this one is long); imported here so Django finds them.
from lexbill.billing.models_bulk import BulkJob, BulkJobItem  # noqa: E402, F401
