"""Names, companies and addresses for the demo firm. Pure: every function takes its own `random.Random`.

The lists are long enough that a thousand timekeepers and ten thousand clients stay distinct without
looking generated; anything that must be unique (initials, client names, emails) is de-duplicated by the
caller against what it already handed out, never against the database, so a seed always gives the same data.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _words(
    "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard Susan Joseph "
    "Jessica Thomas Sarah Charles Karen Christopher Lisa Daniel Nancy Matthew Sandra Anthony Ashley Mark Emily "
    "Andrew Michelle Joshua Amanda Kevin Melissa Brian Stephanie George Rebecca Edward Laura Ronald Sharon Timothy "
    "Cynthia Jason Kathleen Jeffrey Amy Ryan Angela Jacob Anna Nicholas Brenda Eric Pamela Jonathan Emma Stephen "
    "Nicole Larry Helen Justin Samantha Scott Katherine Brandon Christine Benjamin Debra Samuel Rachel Gregory "
    "Carolyn Alexander Janet Patrick Maria Frank Catherine Raymond Heather Jack Diane Dennis Olivia Priya Rahul Wei "
    "Mei Hiroshi Yuki Carlos Sofia Diego Lucia Ahmed Fatima Omar Leila Kwame Ama Chinedu Ngozi Tomasz Anika Lars "
    "Ingrid Mateo Valentina Aisha Malik Nadia Dmitri Elena Sean Siobhan"
)

LAST_NAMES = _words(
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson "
    "Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis "
    "Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera "
    "Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart "
    "Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim "
    "Cox Ward Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo "
    "Sanders Patel Myers Long Ross Foster Jimenez Okafor Mensah Kowalski Lindqvist Haddad Nakamura Tanaka Chen Wang "
    "Singh Shah Iyer Novak Petrov Rossi Bianchi Schmidt Weber Dubois Moreau Byrne O'Connor Fitzgerald Whitfield "
    "Ashworth Pemberton Caldwell Hargrove Lindgren Vasquez Delgado Abernathy"
)

FIRM_SURNAMES = _words(
    "Arnsley Finch Whitcombe Harrow Kessler Pryce Ellery Marlowe Thorne Aldridge Blackwood Carrington Danforth "
    "Everly Fairbanks Gresham Holloway Ingram Langford Merriweather Northcott Ogilvie Prescott Quimby Radcliffe "
    "Stanhope Talbot Underhill Vance Wexley"
)

COMPANY_STEMS = _words(
    "Northgate Bluewater Summit Keystone Harbor Ironwood Silverline Redstone Crescent Meridian Pinnacle Granite "
    "Evergreen Lakeshore Riverside Highland Coastal Prairie Atlas Beacon Cardinal Falcon Horizon Liberty Oakmont "
    "Pioneer Sterling Trident Vanguard Westbrook Ashford Bellamy Calloway Dunmore Eastwick Fairmont Glenwood "
    "Hartwell Kingsley Lockwood Maplewood Newbury Orchard Palisade Quarry Rockport Sagebrush Tamarack Union Valley "
    "Windham Yarrow Zenith Apex Boreal Cobalt Delta Ember Fulcrum Halcyon Juniper Kestrel Lumen Monarch Nimbus Onyx "
    "Paragon Quantum Sable Tidewater Ultramarine Verity Willow"
)

INDUSTRIES = (
    "Logistics", "Maritime", "Insurance", "Health Systems", "Pharmaceuticals", "Energy", "Renewables",
    "Construction", "Manufacturing", "Foods", "Capital Partners", "Realty", "Semiconductors", "Software",
    "Biosciences", "Aerospace", "Automotive", "Telecom", "Hospitality", "Retail", "Mining", "Chemicals",
    "Media", "Financial", "Trust Company", "Medical Devices", "Packaging", "Freight", "Steel", "Textiles",
    "Data Systems", "Engineering", "Agriculture", "Water Utilities", "Transit", "Bank",
)
US_SUFFIXES = ("Inc.", "LLC", "Corp.", "Co.", "Holdings, Inc.", "Group LLC", "L.P.", "Corporation")
EU_SUFFIXES = {"DE": ("GmbH", "AG", "SE"), "FR": ("SAS", "SA"), "NL": ("B.V.", "N.V."), "IE": ("Limited", "DAC")}
UK_SUFFIXES = ("Ltd", "plc", "LLP")

US_PLACES = (
    ("New York", "NY", "100"), ("Brooklyn", "NY", "112"), ("Newark", "NJ", "071"), ("Stamford", "CT", "069"),
    ("Boston", "MA", "021"), ("Philadelphia", "PA", "191"), ("Pittsburgh", "PA", "152"), ("Baltimore", "MD", "212"),
    ("Washington", "DC", "200"), ("Richmond", "VA", "232"), ("Charlotte", "NC", "282"), ("Atlanta", "GA", "303"),
    ("Miami", "FL", "331"), ("Tampa", "FL", "336"), ("Nashville", "TN", "372"), ("Chicago", "IL", "606"),
    ("Detroit", "MI", "482"), ("Columbus", "OH", "432"), ("Cleveland", "OH", "441"), ("Indianapolis", "IN", "462"),
    ("Minneapolis", "MN", "554"), ("St. Louis", "MO", "631"), ("Kansas City", "MO", "641"), ("Dallas", "TX", "752"),
    ("Houston", "TX", "770"), ("Austin", "TX", "787"), ("Denver", "CO", "802"), ("Phoenix", "AZ", "850"),
    ("Salt Lake City", "UT", "841"), ("Las Vegas", "NV", "891"), ("Los Angeles", "CA", "900"),
    ("San Diego", "CA", "921"), ("San Francisco", "CA", "941"), ("San Jose", "CA", "951"), ("Portland", "OR", "972"),
    ("Seattle", "WA", "981"), ("New Orleans", "LA", "701"), ("Milwaukee", "WI", "532"), ("Hartford", "CT", "061"),
)
EU_PLACES = (
    ("Frankfurt am Main", "", "60311", "DE"), ("München", "", "80331", "DE"), ("Hamburg", "", "20095", "DE"),
    ("Paris", "", "75008", "FR"), ("Lyon", "", "69002", "FR"), ("Amsterdam", "", "1017 CE", "NL"),
    ("Rotterdam", "", "3011 AD", "NL"), ("Dublin", "", "D02 X285", "IE"),
)
UK_PLACES = (
    ("London", "", "EC2V 7HH", "GB"), ("London", "", "EC4M 7AN", "GB"), ("Manchester", "", "M2 3WQ", "GB"),
    ("Birmingham", "", "B3 2ES", "GB"), ("Edinburgh", "", "EH2 4LH", "GB"), ("Leeds", "", "LS1 4DY", "GB"),
)
STREETS = (
    "Main", "Market", "Broad", "Park", "Commerce", "Washington", "Lexington", "Madison", "Franklin", "Chestnut",
    "Walnut", "Pine", "Elm", "Congress", "Peachtree", "Michigan", "Wacker", "Louisiana", "Lamar", "Mission",
    "Montgomery", "Spring", "Pearl", "Liberty", "Harbor", "Water", "Grand", "Canal", "Jefferson", "Monroe",
)
STREET_KINDS = ("Street", "Avenue", "Boulevard", "Plaza", "Drive", "Way")
EU_STREETS = {
    "DE": ("Mainzer Landstraße", "Maximilianstraße", "Neuer Wall", "Taunusanlage"),
    "FR": ("Avenue des Champs-Élysées", "Rue de la République", "Boulevard Haussmann"),
    "NL": ("Herengracht", "Coolsingel", "Zuidas Boulevard"),
    "IE": ("Sir John Rogerson's Quay", "Harcourt Street", "Grand Canal Quay"),
    "GB": ("Cheapside", "King Street", "Colmore Row", "George Street", "Park Row", "Queen Victoria Street"),
}


@dataclass(frozen=True)
class Person:
    first_name: str
    last_name: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class Address:
    line1: str
    line2: str
    city: str
    region: str
    postcode: str
    country: str


def person(rng: random.Random) -> Person:
    return Person(rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES))


def ascii_slug(text: str, sep: str = "") -> str:
    """'O'Connor-Ellison GmbH' -> 'oconnorellisongmbh': for email local parts and domains."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = ["".join(ch for ch in word if ch.isalnum()) for word in plain.lower().split()]
    return sep.join(w for w in words if w)


def initials_for(p: Person, taken: set[str]) -> str:
    """Two or three letters, unique within the firm (a digit is added only when the letters are used up)."""
    first = ascii_slug(p.first_name).upper() or "X"
    last = ascii_slug(p.last_name).upper() or "X"
    for candidate in (first[0] + last[0], first[0] + last[:2], first[:2] + last[0], first[0] + last[0] + last[-1]):
        if candidate not in taken:
            taken.add(candidate)
            return candidate
    n = 2
    while f"{first[0]}{last[0]}{n}" in taken:
        n += 1
    taken.add(f"{first[0]}{last[0]}{n}")
    return f"{first[0]}{last[0]}{n}"


def firm_name(rng: random.Random) -> str:
    a, b, c = rng.sample(FIRM_SURNAMES, 3)
    return rng.choice((f"{a} & {b} LLP", f"{a} & {b} LLP", f"{a}, {b} & {c} LLP"))


def company_name(rng: random.Random, country: str) -> tuple[str, str]:
    """('Northgate Logistics LLC', 'Northgate Logistics'): the legal name and the name people use."""
    stem = rng.choice(COMPANY_STEMS)
    if rng.random() < 0.25:
        stem = f"{stem} {rng.choice(COMPANY_STEMS)}"
    short = f"{stem} {rng.choice(INDUSTRIES)}"
    if country == "US":
        suffix = rng.choice(US_SUFFIXES)
    elif country == "GB":
        suffix = rng.choice(UK_SUFFIXES)
    else:
        suffix = rng.choice(EU_SUFFIXES[country])
    return f"{short} {suffix}", short


def us_address(rng: random.Random) -> Address:
    city, state, zip3 = rng.choice(US_PLACES)
    line2 = rng.choice(("", "", f"Suite {rng.randint(1, 40) * 100}", f"Floor {rng.randint(2, 60)}"))
    return Address(f"{rng.randint(1, 9999)} {rng.choice(STREETS)} {rng.choice(STREET_KINDS)}", line2, city, state,
                   f"{zip3}{rng.randint(1, 99):02d}", "US")


def foreign_address(rng: random.Random, places: tuple[tuple[str, str, str, str], ...]) -> Address:
    city, region, postcode, country = rng.choice(places)
    street = rng.choice(EU_STREETS[country])
    number = rng.randint(1, 180)
    line1 = f"{number} {street}" if country in {"GB", "IE", "FR"} else f"{street} {number}"
    return Address(line1, "", city, region, postcode, country)
