"""Per-client LEDES dialects: the options portals disagree on, as named presets (docs/ledes.md, "Writing")."""

from __future__ import annotations

from dataclasses import dataclass

from lexbill.core.errors import NotFound


@dataclass(frozen=True)
class LedesProfile:
    name: str
    classification_set: str = "2014"  # "old" (PT/AS/OC/LA/OT) or "2014" (PARTNR/ASSOC/...)
    name_last_first: bool = True  # TIMEKEEPER_NAME as "Last, First" (Brightflag and the LOC sample)
    single_if: bool = False  # eCounsel/Corridor reject more than one IF line: merge them into one
    client_matter_id_required: bool = False
    dates_inside_period: bool = False  # refuse lines dated outside BILLING_START..END (Collaborati)
    country_alpha3: bool = True  # 98BI countries: the sample writes GBR/USA, Brightflag wants alpha-2
    line_break: str = "\r\n"  # CRLF as in the older copies of the LOC sample; some tools emit LF


PROFILES: dict[str, LedesProfile] = {p.name: p for p in (
    LedesProfile("standard"),
    LedesProfile("legacy", classification_set="old"),
    LedesProfile("ecounsel", single_if=True),
    LedesProfile("brightflag", client_matter_id_required=True, country_alpha3=False, line_break="\n"),
    LedesProfile("collaborati", dates_inside_period=True),
    LedesProfile("strict", single_if=True, client_matter_id_required=True, dates_inside_period=True),
)}

DEFAULT_PROFILE = PROFILES["standard"]


def profile_get(name: str | None) -> LedesProfile:
    if not name:
        return DEFAULT_PROFILE
    try:
        return PROFILES[name.strip().lower()]
    except KeyError:
        raise NotFound(f"no LEDES profile '{name}' (known: {', '.join(PROFILES)})") from None

