"""PDF engines compared on the same realistic 3-page invoice (ADR 0003).

The invoice data is the context our Typst template renders (`lexbill.billing.pdf.context.build_context`
over unsaved model instances: no database needed), so every engine lays out exactly the same strings.
Engines: Typst (the `typst` package, in-process, our template), ReportLab (platypus) and WeasyPrint
(HTML + CSS). ReportLab and WeasyPrint are optional: install them into a scratch venv to compare
(`uv pip install reportlab weasyprint`); they are not lexbill dependencies.

Every timing is also a ratio against Typst measured in the same run, so the numbers compare across machines.

    python bench/bench_pdf.py [--repeat 15] [--out bench/out/pdf.json]
"""

from __future__ import annotations

import argparse
import html
import io
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

FEE_LINES = 44  # with 6 expenses: three pages of US Letter in every engine
NARRATIVES = [
    "Draft and revise motion to compel production of documents withheld on privilege grounds",
    "Telephone conference with client regarding deposition schedule and witness preparation",
    "Review and analyze opposing counsel's responses to first set of interrogatories",
    "Research case law on spoliation sanctions in the Seventh Circuit",
    "Prepare outline for deposition of plaintiff's damages expert",
]


def invoice_data() -> dict[str, Any]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lexbill.config.settings")
    import django

    django.setup()
    from lexbill.billing.pdf.context import PdfLine, build_context
    from lexbill.clients.models import Client, Matter
    from lexbill.core.models import Firm

    firm = Firm(name="Arnsley & Partners LLP", address_line1="100 Federal Street, Suite 1200", city="Boston",
                region="MA", postcode="02110", country="US")
    client = Client(name="Acme Corp", address_line1="1 Acme Way", city="Springfield", region="IL", postcode="62701")
    matter = Matter(number="ACME-001", name="Acme v. Widget Co.", client_matter_id="LIT-2026-17")
    people = [("Robert Arnsley", "RA", "PT", 50000), ("Jane Doe", "JD", "AS", 30000), ("Li Park", "LP", "LA", 15000)]
    lines = []
    for i in range(FEE_LINES):
        name, initials, cls, rate = people[i % 3]
        hours = Decimal(1 + i % 7) / 2
        base = int(hours * rate)
        adjustment = -base // 10 if i % 11 == 0 else 0
        lines.append(PdfLine("fee", "ACME-001", date(2026, 3, 1) + timedelta(days=i % 31), name, initials, cls,
                             hours, rate, None, None, base, adjustment, base + adjustment,
                             NARRATIVES[i % len(NARRATIVES)], f"L{110 + 10 * (i % 4)}", "A104", "", False))
    for i in range(6):
        lines.append(PdfLine("expense", "ACME-001", date(2026, 3, 3 + i), "", "", "", None, None, Decimal(i + 1),
                             2500, 2500 * (i + 1), 0, 2500 * (i + 1), "Courier and filing", "", "", "E107", False))
    header = {"title": "Invoice", "number_label": "Invoice no.", "number": "2026-00042", "issued_on": "April 2, 2026",
              "due_on": "May 2, 2026", "period": "March 1, 2026 to March 31, 2026", "credits": "", "reason": ""}
    return build_context(firm=firm, client=client, matter=matter, currency="USD", lines=lines,
                         matters={"ACME-001": matter}, group_by="phase", header=header, taxes=[], tax_minor=0,
                         total_minor=sum(line.total_minor for line in lines), is_draft=False,
                         payment_instructions="Pay by wire to Harbor Trust Bank, ABA 011000138, account 00123456789.")


def typst_engine(data: dict[str, Any]) -> bytes:
    from lexbill.billing.pdf.render import render_pdf

    return render_pdf(data, on=date(2026, 4, 2))


def _fee_rows(data: dict[str, Any]) -> list[list[str]]:
    rows = []
    for group in data["fee_groups"]:
        if group["heading"]:
            rows.append([group["heading"], "", "", "", "", ""])
        rows += [[r["date"], r["timekeeper"], r["narrative"], r["hours"], r["rate"], r["amount"]]
                 for r in group["rows"]]
    return rows


def reportlab_engine(data: dict[str, Any]) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import LETTER
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8.5, leading=10)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=LETTER, leftMargin=2 * cm, rightMargin=2 * cm, invariant=1,
                            title=f"Invoice {data['number']}")
    story: list[Any] = [Paragraph(html.escape(data["firm"]["name"]), styles["Title"])]
    story += [Paragraph(html.escape(line), small) for line in data["firm"]["address"]]
    story += [Paragraph(f"Invoice no. {data['number']} — {data['issued_on']}, due {data['due_on']}", small),
              Paragraph(html.escape(data["client"]["name"]), small), Spacer(0, 12),
              Paragraph("Professional services", styles["Heading2"])]
    rows = [["Date", "TK", "Description", "Hours", "Rate", "Amount"]]
    rows += [[c if i != 2 else Paragraph(html.escape(c), small) for i, c in enumerate(r)] for r in _fee_rows(data)]
    table = Table(rows, colWidths=[2 * cm, 1 * cm, 7.5 * cm, 1.2 * cm, 2.3 * cm, 2.6 * cm], repeatRows=1)
    table.setStyle(TableStyle([("FONTSIZE", (0, 0), (-1, -1), 8.5), ("ALIGN", (3, 0), (-1, -1), "RIGHT"),
                               ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [table, Paragraph("Timekeeper summary", styles["Heading2"])]
    story.append(Table([[t["name"], t["classification"], t["hours"], t["rate"], t["amount"]]
                        for t in data["timekeepers"]]))
    story.append(Paragraph("Expenses", styles["Heading2"]))
    story.append(Table([[x["date"], x["code"], x["description"], x["quantity"], x["amount"]]
                        for x in data["expenses"]]))
    totals = data["totals"]
    story.append(Table([["Fees", totals["fees"]], ["Expenses", totals["expenses"]],
                        ["Adjustments", totals["adjustments"]], ["Total due", totals["total"]]], hAlign="RIGHT"))
    doc.build(story)
    return out.getvalue()


def weasyprint_engine(data: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    e = html.escape
    fee_rows = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in _fee_rows(data))
    tk_rows = "".join(f"<tr><td>{e(t['name'])}</td><td>{t['classification']}</td><td>{t['hours']}</td>"
                      f"<td>{t['rate']}</td><td>{t['amount']}</td></tr>" for t in data["timekeepers"])
    ex_rows = "".join(f"<tr><td>{x['date']}</td><td>{x['code']}</td><td>{e(x['description'])}</td>"
                      f"<td>{x['amount']}</td></tr>" for x in data["expenses"])
    doc = f"""<html><head><style>
      @page {{ size: letter; margin: 2cm; @bottom-right {{ content: "Page " counter(page) " of " counter(pages) }} }}
      body {{ font-family: serif; font-size: 9.5pt }} table {{ width: 100%; border-collapse: collapse }}
      td:nth-last-child(-n+3) {{ text-align: right; white-space: nowrap }} thead {{ display: table-header-group }}
    </style></head><body>
      <h1>{e(data['firm']['name'])}</h1><p>{'<br>'.join(e(a) for a in data['firm']['address'])}</p>
      <p>Invoice no. {data['number']}, {data['issued_on']}, due {data['due_on']}</p><p>{e(data['client']['name'])}</p>
      <h2>Professional services</h2><table><thead><tr><th>Date</th><th>TK</th><th>Description</th><th>Hours</th>
      <th>Rate</th><th>Amount</th></tr></thead>{fee_rows}</table>
      <h2>Timekeeper summary</h2><table>{tk_rows}</table><h2>Expenses</h2><table>{ex_rows}</table>
      <p>Total due {data['totals']['total']}</p></body></html>"""
    pdf = HTML(string=doc).write_pdf()
    assert pdf is not None
    return pdf


def pages(pdf: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))


def measure(render: Callable[[dict[str, Any]], bytes], data: dict[str, Any], repeat: int) -> dict[str, Any]:
    pdf = render(data)  # warm-up: imports, font loading, template parsing
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        render(data)
        times.append(time.perf_counter() - start)
    return {"median_ms": round(statistics.median(times) * 1000, 1), "min_ms": round(min(times) * 1000, 1),
            "pages": pages(pdf), "bytes": len(pdf)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    data = invoice_data()
    results: dict[str, Any] = {}
    for name, engine in (("typst", typst_engine), ("reportlab", reportlab_engine), ("weasyprint", weasyprint_engine)):
        try:
            results[name] = measure(engine, data, args.repeat)
        except ImportError as exc:
            results[name] = {"skipped": f"not installed ({exc.name})"}
    baseline = results["typst"]["median_ms"]
    for result in results.values():
        if "median_ms" in result:
            result["ratio_to_typst"] = round(result["median_ms"] / baseline, 2)
    for name, result in results.items():
        if "median_ms" in result:
            print(f"{name:<11} {result['median_ms']:>8.1f} ms median  {result['min_ms']:>8.1f} ms min  "
                  f"x{result['ratio_to_typst']:<5} {result['pages']} pages  {result['bytes']:,} bytes")
        else:
            print(f"{name:<11} {result['skipped']}")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({"python": sys.version.split()[0], "results": results}, indent=2))


if __name__ == "__main__":
    main()
