"""The pro forma of a pre-bill: watermarked DRAFT, current lines only, total before tax."""

from lexbill.billing.pdf.render import render_invoice, render_prebill

from .pdf_builders import make_invoice, normalised, pdf_pages, pdf_text, standard_prebill


def test_a_pro_forma_says_draft_and_shows_the_total_before_tax(firm, matter, partner, associate):
    prebill = standard_prebill(firm, matter, partner, associate)
    text = normalised(pdf_text(render_prebill(prebill)))
    assert "PRO FORMA" in text and "DRAFT" in text
    assert f"Pre-bill no. {prebill.pk}" in text
    assert "Total before tax 3,020.80 USD" in text
    assert "Total due" not in text and "Payment instructions" not in text


def test_the_invoice_of_the_same_pre_bill_does_not_say_draft(firm, matter, partner, associate):
    invoice = make_invoice(standard_prebill(firm, matter, partner, associate), number="2026-00042")
    text = pdf_text(render_invoice(invoice))
    assert "DRAFT" not in text and "PRO FORMA" not in text


def test_held_and_moved_lines_are_left_off_the_pro_forma(firm, matter, partner, associate):
    # Given the 300.00 line held for next month and the 200.00 line moved away (no longer current)
    prebill = standard_prebill(firm, matter, partner, associate)
    prebill.lines.filter(position=4).update(is_held=True)
    prebill.lines.filter(position=3).update(is_current=False)
    text = normalised(pdf_text(render_prebill(prebill)))
    assert "Prepare first document requests" not in text
    assert "Call with client re settlement posture" not in text
    assert "Total fees 5.7 2,210.00 USD" in text  # 1,250.00 + 960.00
    assert "Total before tax 2,520.80 USD" in text  # 2,210.00 + 406.80 - 96.00


def test_the_watermark_is_drawn_not_extracted_letter_by_letter(firm, matter, partner, associate):
    pdf = render_prebill(standard_prebill(firm, matter, partner, associate))
    lines = [line.strip() for line in pdf_text(pdf).splitlines()]
    assert pdf_pages(pdf) == 1
    assert not [line for line in lines if line in {"D", "R", "A", "F", "T"}]
