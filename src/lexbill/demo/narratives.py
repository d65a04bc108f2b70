"""Work descriptions that read like real litigation billing, with their UTBMS task and activity codes.

Each `Work` template belongs to the phases of a case in which it happens (0 assessment and pleadings,
1 discovery, 2 dispositive motions and experts, 3 trial, 4 appeal), to the people who do it (P partner or
of counsel, A associate, L paralegal / other) and carries a typical duration in minutes. Slots in braces are
filled from the matter (`MatterStory`) so that one case keeps the same opponent, judge and witnesses.
Expense templates name their UTBMS E-code and whether the cost is hard (paid out) or soft (in-house).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .names import FIRST_NAMES, LAST_NAMES, company_name

TASKS = {
    "L110": "Fact Investigation/Development", "L120": "Analysis/Strategy", "L130": "Experts/Consultants",
    "L140": "Document/File Management", "L150": "Budgeting", "L160": "Settlement/Non-Binding ADR",
    "L190": "Other Case Assessment, Development and Administration", "L210": "Pleadings",
    "L220": "Preliminary Injunctions/Provisional Remedies", "L230": "Court Mandated Conferences",
    "L240": "Dispositive Motions", "L250": "Other Written Motions and Submissions",
    "L260": "Class Action Certification and Notice", "L310": "Written Discovery", "L320": "Document Production",
    "L330": "Depositions", "L340": "Expert Discovery", "L350": "Discovery Motions", "L390": "Other Discovery",
    "L410": "Fact Witnesses", "L420": "Expert Witnesses", "L430": "Written Motions and Submissions",
    "L440": "Other Trial Preparation and Support", "L450": "Trial and Hearing Attendance",
    "L460": "Post-Trial Motions and Submissions", "L470": "Enforcement", "L510": "Appellate Motions and Submissions",
    "L520": "Appellate Briefs", "L530": "Oral Argument",
}
ACTIVITIES = {
    "A101": "Plan and prepare for", "A102": "Research", "A103": "Draft/revise", "A104": "Review/analyze",
    "A105": "Communicate (in firm)", "A106": "Communicate (with client)", "A107": "Communicate (other outside counsel)",
    "A108": "Communicate (other external)", "A109": "Appear for/attend", "A110": "Manage data/files", "A111": "Other",
}
EXPENSE_CODES = {
    "E101": "Copying", "E102": "Outside printing", "E105": "Telephone", "E106": "Online research",
    "E107": "Delivery services/messengers", "E108": "Postage", "E109": "Local travel", "E110": "Out-of-town travel",
    "E111": "Meals", "E112": "Court fees", "E113": "Subpoena fees", "E115": "Deposition transcripts",
    "E116": "Trial transcripts", "E118": "Litigation support vendors", "E119": "Experts",
    "E121": "Arbitrators/mediators",
}


@dataclass(frozen=True)
class Work:
    task: str
    activity: str
    text: str
    minutes: tuple[int, int]
    who: str  # any of "P", "A", "L"
    phases: str  # digits 0-4, or "*" for every phase
    weight: int = 10
    expense: str = ""  # key of an Expense template this work often incurs


def _w(task: str, activity: str, who: str, phases: str, lo: int, hi: int, text: str, weight: int = 10,
       expense: str = "") -> Work:
    return Work(task, activity, text, (lo, hi), who, phases, weight, expense)


WORK: tuple[Work, ...] = (
    # L100 case assessment, development and administration: every phase
    _w("L110", "A104", "A", "01", 30, 240, "Review and analyze {client}'s internal correspondence concerning {issue}; "
       "update chronology of key events"),
    _w("L110", "A106", "PA", "01", 12, 60, "Telephone conference with {contact} re facts bearing on {issue}"),
    _w("L110", "A108", "A", "01", 30, 120, "Interview {witness} re events leading to the dispute; prepare "
       "interview memo"),
    _w("L110", "A102", "AL", "0", 30, 150, "Public records and docket search re prior litigation involving {opp}",
       expense="pacer"),
    _w("L120", "A101", "P", "*", 30, 150, "Develop case strategy and outline defenses to {opp}'s {claim}"),
    _w("L120", "A102", "A", "*", 60, 300, "Research {law} law on {issue}; draft research memorandum", 14,
       expense="westlaw"),
    _w("L120", "A105", "PA", "*", 6, 48, "Conference with {lead} re strategy and next steps", 16),
    _w("L120", "A105", "A", "*", 12, 42, "Internal case team meeting re open tasks and staffing"),
    _w("L120", "A106", "P", "*", 18, 72, "Call with {contact} re case status, strategy and upcoming deadlines", 12),
    _w("L120", "A106", "PA", "*", 30, 120, "Draft status report to {contact} summarizing recent developments", 8),
    _w("L120", "A104", "P", "*", 18, 90, "Review and revise case assessment memo re exposure on {issue}", 6),
    _w("L130", "A107", "P", "12", 30, 90, "Conference with consulting expert {expert} re {expert_topic}"),
    _w("L130", "A101", "A", "12", 60, 180, "Identify and vet potential experts on {expert_topic}; conflicts check"),
    _w("L140", "A110", "L", "*", 30, 180, "Organize and index pleadings and correspondence files; update case calendar",
       14),
    _w("L140", "A110", "L", "12", 60, 240, "Load incoming production into review database; update document index", 10,
       expense="hosting"),
    _w("L150", "A103", "PA", "*", 30, 120, "Prepare litigation budget for next phase per {client} billing "
       "guidelines", 4),
    _w("L160", "A104", "P", "*", 30, 120, "Analyze settlement options and exposure ahead of discussions with "
       "{counsel}", 5),
    _w("L160", "A107", "P", "12", 12, 60, "Telephone call with {counsel} re possible mediation and settlement", 5),
    _w("L160", "A109", "P", "23", 240, 540, "Attend mediation session before {mediator}", 3, expense="mediator"),
    _w("L160", "A103", "A", "23", 90, 300, "Draft mediation statement", 3),
    _w("L190", "A111", "L", "*", 12, 60, "Update litigation hold notices and custodian tracking log", 4),
    # L200 pleadings and motions
    _w("L210", "A104", "PA", "0", 30, 180, "Review and analyze {opp}'s complaint and exhibits", 12),
    _w("L210", "A103", "A", "0", 120, 420, "Draft answer and affirmative defenses to {opp}'s amended complaint", 12),
    _w("L210", "A104", "P", "0", 30, 120, "Review and revise draft answer; comments to {associate}", 8),
    _w("L210", "A110", "L", "0", 30, 90, "Finalize and e-file answer with {court}; serve on counsel of record", 6,
       expense="filing_fee"),
    _w("L220", "A103", "A", "0", 180, 480, "Draft opposition to motion for preliminary injunction", 3),
    _w("L230", "A101", "PA", "01", 30, 120, "Prepare for Rule 16 scheduling conference; draft joint discovery plan", 5),
    _w("L230", "A109", "P", "01", 30, 120, "Attend scheduling conference before Judge {judge}", 4,
       expense="local_travel"),
    _w("L240", "A102", "A", "2", 120, 480, "Research case law for motion for summary judgment on {issue}", 14,
       expense="westlaw"),
    _w("L240", "A103", "A", "2", 180, 540, "Draft memorandum of law in support of motion for summary judgment", 14),
    _w("L240", "A104", "P", "2", 60, 240, "Review and revise summary judgment brief and statement of undisputed facts",
       10),
    _w("L240", "A103", "A", "0", 120, 420, "Draft motion to dismiss for failure to state a claim", 8),
    _w("L240", "A109", "P", "2", 60, 180, "Attend oral argument on motion for summary judgment before Judge {judge}", 3,
       expense="local_travel"),
    _w("L250", "A103", "A", "*", 30, 120, "Draft stipulation and proposed order extending time to respond", 5),
    _w("L250", "A103", "A", "12", 60, 240, "Draft letter brief to Judge {judge} re scheduling dispute", 4),
    _w("L250", "A110", "L", "*", 12, 60, "Cite-check and prepare table of authorities for filing", 6),
    # L300 discovery
    _w("L310", "A103", "A", "1", 60, 300, "Draft first set of interrogatories and requests for production to {opp}", 8),
    _w("L310", "A104", "A", "1", 60, 240, "Review {opp}'s responses and objections to document requests; draft "
       "deficiency letter", 10),
    _w("L310", "A103", "A", "1", 90, 300, "Draft responses and objections to {opp}'s second set of interrogatories", 8),
    _w("L320", "A104", "A", "1", 120, 480, "Privilege review of {custodian} email custodial files", 16),
    _w("L320", "A104", "AL", "1", 120, 480, "First-level responsiveness review of documents from {custodian}", 16),
    _w("L320", "A110", "L", "1", 60, 240, "Prepare production volume; apply Bates numbers and confidentiality "
       "designations", 10, expense="hosting"),
    _w("L320", "A103", "A", "1", 60, 240, "Draft privilege log entries for withheld documents", 8),
    _w("L330", "A101", "PA", "1", 120, 420, "Prepare outline for deposition of {witness}", 10),
    _w("L330", "A109", "P", "1", 240, 480, "Take deposition of {witness}", 6, expense="transcript"),
    _w("L330", "A109", "PA", "1", 180, 480, "Defend deposition of {witness}", 5, expense="travel"),
    _w("L330", "A104", "AL", "1", 60, 240, "Review and summarize deposition transcript of {witness}", 8),
    _w("L330", "A110", "L", "1", 30, 120, "Prepare deposition exhibits and witness binder for {witness}", 6,
       expense="copying"),
    _w("L340", "A104", "PA", "2", 120, 360, "Review {opp}'s expert report of {opp_expert}", 6),
    _w("L340", "A101", "PA", "2", 120, 420, "Prepare for deposition of {opp}'s expert {opp_expert}", 5),
    _w("L340", "A106", "A", "2", 30, 120, "Work with {expert} on rebuttal report; comments on draft", 5,
       expense="expert"),
    _w("L350", "A107", "PA", "1", 30, 90, "Meet and confer with {counsel} re discovery deficiencies", 8),
    _w("L350", "A103", "A", "1", 180, 480, "Draft motion to compel production of documents", 6),
    _w("L390", "A103", "A", "1", 30, 120, "Draft third-party subpoena to {third_party}", 4, expense="subpoena"),
    # L400 trial preparation and trial
    _w("L410", "A101", "PA", "3", 120, 420, "Prepare {witness} for trial testimony", 8),
    _w("L420", "A101", "P", "3", 120, 420, "Prepare direct examination outline for expert {expert}", 6),
    _w("L430", "A103", "A", "3", 180, 480, "Draft motions in limine to exclude {opp_expert} testimony", 8),
    _w("L430", "A103", "A", "3", 120, 420, "Draft proposed jury instructions and verdict form", 5),
    _w("L440", "A110", "L", "3", 120, 540, "Prepare trial exhibit binders and exhibit list", 10, expense="printing"),
    _w("L440", "A101", "PA", "3", 120, 540, "Trial preparation: organize themes, witness order and demonstratives", 8,
       expense="meals"),
    _w("L450", "A109", "PA", "3", 420, 600, "Attend trial before Judge {judge}", 6, expense="trial_transcript"),
    _w("L460", "A103", "A", "3", 180, 480, "Draft post-trial motion for judgment as a matter of law", 3),
    _w("L470", "A103", "A", "3", 60, 240, "Draft writ of execution and information subpoena re enforcement of judgment",
       2),
    # L500 appeal
    _w("L510", "A103", "A", "4", 60, 180, "Draft notice of appeal and civil appeal statement", 4, expense="filing_fee"),
    _w("L520", "A102", "A", "4", 120, 420, "Research standard of review for appellate brief", 8, expense="westlaw"),
    _w("L520", "A103", "PA", "4", 180, 540, "Draft opening appellate brief: statement of the case and argument", 12),
    _w("L520", "A110", "L", "4", 60, 240, "Prepare joint appendix and record citations", 6, expense="printing"),
    _w("L530", "A101", "P", "4", 120, 420, "Prepare for oral argument; moot court session with team", 5),
    _w("L530", "A109", "P", "4", 60, 180, "Attend oral argument before the court of appeals", 2, expense="travel"),
)


@dataclass(frozen=True)
class ExpenseKind:
    code: str
    text: str  # {qty} is the quantity as written on the bill
    cost_type: str  # "hard" (paid out to a third party) or "soft" (in-house)
    quantity_milli: tuple[int, int, int]  # low, high, step in thousandths: pages, miles or one item
    unit_cost_minor: tuple[int, int, int]  # low, high, step: court fees are round numbers, copies are cents


ONE = (1000, 1000, 1000)
EXPENSES: dict[str, ExpenseKind] = {
    "copying": ExpenseKind("E101", "Photocopying, {qty} pages", "soft", (50_000, 1_500_000, 1000), (10, 15, 5)),
    "printing": ExpenseKind("E102", "Outside printing of exhibit binders - {vendor}", "hard", ONE,
                            (45_000, 260_000, 100)),
    "pacer": ExpenseKind("E106", "PACER document retrieval", "soft", ONE, (300, 3_000, 10)),
    "westlaw": ExpenseKind("E106", "Online legal research (Westlaw) re {issue}", "soft", ONE, (4_500, 38_000, 1)),
    "hosting": ExpenseKind("E118", "E-discovery hosting and processing - {vendor}", "hard", ONE,
                           (35_000, 240_000, 100)),
    "courier": ExpenseKind("E107", "FedEx to {counsel_firm}", "hard", ONE, (2_400, 9_800, 1)),
    "local_travel": ExpenseKind("E109", "Mileage to courthouse, {court_city} ({qty} miles)", "hard",
                                (8_000, 95_000, 100), (70, 70, 1)),
    "travel": ExpenseKind("E110", "Airfare and hotel - {trip}", "hard", ONE, (68_000, 245_000, 100)),
    "meals": ExpenseKind("E111", "Working dinner during trial preparation", "hard", ONE, (9_000, 42_000, 1)),
    "filing_fee": ExpenseKind("E112", "Court filing fee - {court_short}", "hard", ONE, (40_500, 60_500, 5_000)),
    "subpoena": ExpenseKind("E113", "Subpoena service fee - {third_party}", "hard", ONE, (7_500, 19_500, 500)),
    "transcript": ExpenseKind("E115", "Court reporter - transcript of deposition of {witness}", "hard", ONE,
                              (85_000, 260_000, 100)),
    "trial_transcript": ExpenseKind("E116", "Daily trial transcript", "hard", ONE, (60_000, 150_000, 100)),
    "expert": ExpenseKind("E119", "Expert fees - {expert}", "hard", ONE, (500_000, 2_500_000, 10_000)),
    "mediator": ExpenseKind("E121", "Mediator fee - {mediator} (half share)", "hard", ONE, (250_000, 750_000, 10_000)),
    "phone": ExpenseKind("E105", "Conference call service", "soft", ONE, (500, 4_500, 1)),
    "postage": ExpenseKind("E108", "Postage", "soft", ONE, (68, 2_400, 1)),
}
# Small routine costs with no particular work behind them, drawn now and then on any active matter.
ROUTINE_EXPENSES = ("copying", "courier", "phone", "postage", "pacer")


@dataclass(frozen=True)
class CaseType:
    name: str  # "{client} v. {opp}" style; the client is plaintiff or defendant
    claim: str
    issues: tuple[str, ...]
    expert_topic: str


CASE_TYPES = (
    CaseType("{client} v. {opp} (Supply Agreement)", "breach of contract claim",
             ("the limitation of liability clause", "the consequential damages waiver", "anticipatory repudiation",
              "the parol evidence rule", "notice and cure provisions"), "lost profits damages"),
    CaseType("{plaintiff} v. {client} (Product Liability)", "design defect and failure-to-warn claims",
             ("the learned intermediary doctrine", "the statute of repose", "federal preemption",
              "general causation", "post-sale duty to warn"), "engineering and causation"),
    CaseType("{plaintiff} v. {client} (Employment)", "retaliation and wrongful termination claims",
             ("the McDonnell Douglas burden-shifting framework", "enforceability of the arbitration agreement",
              "the same-actor inference", "after-acquired evidence"), "economic damages and mitigation"),
    CaseType("{client} v. {opp} (Patent Infringement)", "patent infringement claims",
             ("claim construction of the disputed terms", "a stay pending inter partes review", "obviousness",
              "willful infringement", "reasonable royalty damages"), "the accused product's design"),
    CaseType("{client} adv. {opp} (Coverage Dispute)", "declaratory judgment claim on coverage",
             ("the duty to defend", "the pollution exclusion", "late notice", "allocation across policy years"),
             "claims handling practices"),
    CaseType("In re {client} Securities Litigation", "Section 10(b) claims",
             ("loss causation", "the PSLRA safe harbor", "scienter pleading", "class certification and price impact"),
             "event study and price impact"),
    CaseType("{opp} v. {client} (Antitrust)", "Sherman Act Section 1 claims",
             ("market definition", "rule of reason analysis", "Twombly plausibility", "antitrust standing"),
             "relevant market and damages"),
    CaseType("{client} v. {opp} (Construction Defect)", "construction defect and delay claims",
             ("delay damages", "differing site conditions", "the pay-if-paid clause", "the economic loss rule"),
             "schedule delay analysis"),
    CaseType("{client} v. {opp} (Trade Secrets)", "trade secret misappropriation claims",
             ("reasonable secrecy measures under the DTSA", "inevitable disclosure", "non-compete enforceability",
              "unjust enrichment damages"), "forensic analysis of the devices"),
    CaseType("{client} v. {opp} (Commercial Lease)", "breach of lease claim",
             ("the co-tenancy clause", "holdover damages", "the force majeure clause", "mitigation of damages"),
             "commercial rent valuation"),
)

COURTS = (
    ("the S.D.N.Y.", "New York, NY"), ("the D.N.J.", "Newark, NJ"), ("the N.D. Ill.", "Chicago, IL"),
    ("the C.D. Cal.", "Los Angeles, CA"), ("the N.D. Cal.", "San Francisco, CA"), ("the D. Del.", "Wilmington, DE"),
    ("the E.D. Tex.", "Marshall, TX"), ("the S.D. Tex.", "Houston, TX"), ("the Delaware Court of Chancery",
    "Wilmington, DE"), ("the N.Y. Supreme Court, Commercial Division", "New York, NY"), ("the E.D. Pa.",
    "Philadelphia, PA"), ("the N.D. Ga.", "Atlanta, GA"), ("the D. Mass.", "Boston, MA"),
)
LAWS = ("New York", "Delaware", "California", "Texas", "Illinois", "federal", "New Jersey", "Second Circuit",
        "Third Circuit", "Ninth Circuit")
VENDORS = ("Epiq", "Consilio", "KLDiscovery", "Lighthouse", "Veritext", "Esquire Deposition Solutions", "DTI")
ROLES = ("CFO", "VP Operations", "former sales director", "plant manager", "head of compliance",
         "project manager", "HR director", "chief engineer", "account executive")


@dataclass
class MatterStory:
    """The cast of one case, drawn once per matter so its narratives stay consistent."""

    name: str
    values: dict[str, str]
    witnesses: tuple[str, ...]
    custodians: tuple[str, ...]
    issues: tuple[str, ...]
    goes_to_trial: bool
    is_appeal: bool

    def fill(self, rng: random.Random, text: str, *, lead: str = "", associate: str = "", qty: str = "") -> str:
        if "{" not in text:
            return text
        return text.format(
            witness=rng.choice(self.witnesses), custodian=rng.choice(self.custodians), issue=rng.choice(self.issues),
            lead=lead, associate=associate, qty=qty, **self.values,
        )


def _someone(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def matter_story(rng: random.Random, *, client_short: str, contact: str) -> MatterStory:
    case = rng.choice(CASE_TYPES)
    opp_person = _someone(rng)
    opp_company = company_name(rng, "US")[1]
    opp = opp_person.split()[-1] if "{plaintiff}" in case.name else opp_company
    name = case.name.format(client=client_short, opp=opp_company, plaintiff=opp_person)
    court, city = rng.choice(COURTS)
    counsel_firm = f"{rng.choice(LAST_NAMES)} {rng.choice(('LLP', 'P.C.', '& Associates', 'PLLC'))}"
    values = {
        "client": client_short, "opp": opp, "claim": case.claim, "court": court, "contact": contact,
        "court_short": court.removeprefix("the "), "court_city": city, "judge": rng.choice(LAST_NAMES),
        "law": rng.choice(LAWS), "expert": f"Dr. {_someone(rng)}",
        "opp_expert": f"Dr. {_someone(rng)}", "expert_topic": case.expert_topic,
        "counsel": f"{_someone(rng)} ({counsel_firm})", "counsel_firm": counsel_firm,
        "mediator": f"{rng.choice(('Hon.', 'Hon.', ''))} {_someone(rng)}".strip(),
        "third_party": company_name(rng, "US")[0], "vendor": rng.choice(VENDORS),
        "trip": f"deposition travel to {rng.choice(COURTS)[1]}" if rng.random() < 0.7 else f"hearing in {city}",
    }
    witnesses = tuple(f"{_someone(rng)} ({rng.choice(ROLES)})" for _ in range(rng.randint(3, 6)))
    custodians = tuple(_someone(rng) for _ in range(rng.randint(3, 8)))
    return MatterStory(name=name[:200], values=values, witnesses=witnesses, custodians=custodians,
                       issues=case.issues,
                       goes_to_trial=rng.randrange(100) < 20, is_appeal=rng.randrange(100) < 8)
