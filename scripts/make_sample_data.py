"""Write voiceline's own sample data: two months of feedback from the fictional city of Port Alder.

Why: ingest is tested on these files and the README's first command runs on them, so they must be
as messy as real exports (odd headers, aliases and misspellings, ZIP+4, mojibake, duplicates, a
copy-paste campaign, the agency's own posts, reaction-only items, PII everywhere) while staying
entirely fictional and byte-for-byte reproducible.

Everything comes from ``random.Random(2026)``; the XLSX and DOCX files get fixed document dates
and fixed zip-entry timestamps so that they are byte-stable too. Stdlib, openpyxl and python-docx
only; no network.

Example::

    python scripts/make_sample_data.py                 # rewrites sample_data/ in the repo
    python scripts/make_sample_data.py --out /tmp/sd   # somewhere else (the tests do this)

The files and the mess they contain are listed in ``sample_data/README.md``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import re
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

SEED = 2026
TZ = ZoneInfo("America/New_York")
FIXED_DOC_DATE = datetime(2026, 11, 2, 9, 0, 0)
ZIP_DATE = (2026, 11, 2, 9, 0, 0)
AGENCY_FB = "Port Alder Police Department"
AGENCY_TW = "PortAlderPD"

# --- the city ----------------------------------------------------------------------------------


@dataclass
class Hood:
    id: str
    name: str
    aliases: list[str]
    zips: list[str]
    places: list[str]
    streets: list[str]
    misspellings: list[str] = field(default_factory=list)


# Laid out on a 4 x 2 grid, west to east, north row first (see _polygons).
HOODS: list[Hood] = [
    Hood(
        "riverton",
        "Riverton",
        ["Riverton Heights", "the Heights"],
        ["04105"],
        [
            "Riverton Park",
            "Riverton Community Center",
            "Presumpscot Falls",
            "Riverton Elementary",
            "Riverside Plaza",
        ],
        ["Riverside Street", "Warren Avenue", "Allen Avenue", "Summit Street"],
        ["Rivertown", "Riverten"],
    ),
    Hood(
        "northside",
        "Northside",
        ["North Side", "the Northside", "Nside"],
        ["04103"],
        [
            "Northside Rec Center",
            "Longfellow Park",
            "Northside Middle School",
            "Bramhall Market",
            "St. Brigid's Church",
            "Deering Oaks Pond",
        ],
        ["Forest Avenue", "Stevens Avenue", "Elm Street", "Brighton Avenue", "Ludlow Street"],
        ["Northsid", "Nothside"],
    ),
    Hood(
        "east-bayside",
        "East Bayside",
        ["Bayside", "E. Bayside", "EB"],
        ["04104"],
        [
            "Kennedy Park",
            "Bayside Trail",
            "East Bayside Community Garden",
            "Mayo Street Arts",
            "Bayside Family Shelter",
            "Anderson Street Market",
            "Fox Field",
        ],
        ["Anderson Street", "Cumberland Avenue", "Fox Street", "Oxford Street", "Mayo Street"],
        ["East Bayisde", "Baysid"],
    ),
    Hood(
        "lighthouse-hill",
        "Lighthouse Hill",
        ["the Hill", "LH", "Lighthouse"],
        ["04108", "04109"],
        [
            "Eastern Promenade Park",
            "Fort Alder",
            "Lighthouse Hill Observatory",
            "East End Beach",
            "Ocean Avenue School",
            "Cutter Street Playground",
        ],
        ["Ocean Avenue", "Sheridan Street", "Turner Street", "Cutter Street"],
        ["Lighthouse Hil", "Light House Hill"],
    ),
    Hood(
        "libby-hill",
        "Libby Hill",
        ["Libbytown", "Libby Town"],
        ["04107"],
        [
            "Libby Hill Skate Park",
            "Thompson's Point",
            "Libby Hill Market",
            "St. John Street Shelter",
            "Fore River Sanctuary",
        ],
        ["Congress Street", "St. John Street", "Douglass Street", "Frost Street"],
        ["Libby Hil", "Libbytwon"],
    ),
    Hood(
        "west-end",
        "West End",
        ["Westend", "the West End", "WE"],
        ["04102"],
        [
            "Western Promenade",
            "Maple Grove Cemetery",
            "West End Elementary",
            "Bramble Hill Playground",
            "Vaughan Street Library",
        ],
        ["Pine Street", "Vaughan Street", "Bowdoin Street", "Brackett Street", "Carroll Street"],
        ["West Ned", "Wst End"],
    ),
    Hood(
        "old-mill",
        "Old Mill District",
        ["Old Mill", "the Mill", "Mill District"],
        ["04102", "04106"],
        [
            "Alder Mill Lofts",
            "Millrace Park",
            "Old Mill Bridge",
            "Fore River Trail",
            "Foundry Square",
            "Millworks Brewery",
        ],
        ["Mill Street", "Canal Street", "Foundry Lane", "Union Wharf Road"],
        ["Old Mil District", "Olde Mill"],
    ),
    Hood(
        "harbor-point",
        "Harbor Point",
        ["the Point", "Harbour Point", "HP"],
        ["04101"],
        [
            "Pier 9",
            "Cannery Row",
            "Harbor Point Library",
            "Fish Pier Park",
            "Harbor Point Elementary",
            "Ferry Terminal",
            "Custom House Wharf",
        ],
        ["Water Street", "Dock Lane", "Commercial Street", "Wharf Street", "Fore Street"],
        ["Harber Point", "Harbor Pt"],
    ),
]
HOOD = {h.id: h for h in HOODS}

RESIDENTS = [
    "Maria Lopez",
    "Dana Whitfield",
    "Tom Beaulieu",
    "Keisha Brown",
    "Ahmed Farah",
    "Linh Nguyen",
    "Patrick O'Malley",
    "Grace Thibodeau",
    "Samuel Okafor",
    "Rosa Delgado",
    "Jenny Park",
    "Frank Castellano",
    "Abdi Hassan",
    "Carol Pelletier",
    "Marcus Reed",
    "Hannah Kowalski",
    "Luis Ortega",
    "Bev Sargent",
    "Tran Van Minh",
    "Ellen Moody",
    "Desmond Clarke",
    "Nadia Petrova",
    "Joe Fortin",
    "Amina Yusuf",
    "Rick Dunphy",
    "Priya Raman",
    "Shawn McAllister",
    "Yolanda Price",
]
OFFICERS = [
    ("Officer Reyes", "4471"),
    ("Officer Diaz", "3312"),
    ("Officer Tran", "5102"),
    ("Officer Pike", "2987"),
    ("Officer Mbeki", "4120"),
    ("Officer Landry", "3856"),
]
COMMUNITY_OFFICER = "Officer Jamal Greene"
PHONE_FORMATS = ["({a}) {b}-{c}", "{a}-{b}-{c}", "{a}.{b}.{c}", "{a}{b}{c}", "+1 {a} {b} {c}"]
URLS = [
    "https://portalder.example.gov/311",
    "https://www.portalder.example.gov/police/crime-map",
    "http://bit.ly/pa-speed-petition",
    "https://tinyurl.com/bayside-cleanup",
    "https://forms.example.org/dirtbike-report",
    "www.portaldernews.example.com/2026/09/break-ins",
]
EMOJI = ["😡", "🙏", "👏", "🤬", "😤", "💯", "🚔", "🙄", "😢", "❤️", "👍", "🔥", "😂", "🚨"]

# --- the words residents use -------------------------------------------------------------------
# Slots: {street} {street2} {place} {hood} {name} {officer} {badge} {phone} {plate} {num} {url}
# {co} (the community officer).  Each bank is a topic; sources draw across banks.

BANK: dict[str, list[str]] = {
    "speeding": [
        "Cars fly down {street} every morning at school drop-off. Someone is going to get killed. "
        "We need speed bumps or a camera, not another study.",
        "speeding on {street} is out of control, people doing 50 in a 25",
        "Can we PLEASE get a crosswalk by {place}? My kids have to cross {street} and nobody "
        "stops.",
        "The stop sign at {street} and {street2} is basically decoration at this point",
        "Drag racing on {street} after midnight again. Third weekend in a row.",
        "I've asked for a speed trailer on {street} twice through 311 and heard nothing back.",
    ],
    "dirt_bikes": [
        "Dirt bikes and ATVs tearing through {place} every night, wheelies down {street}, no "
        "helmets. Cops just watch them go by.",
        "DIRT BIKES AGAIN ON {street_uc}!!! 11pm on a school night",
        "The dirt bike crew was doing laps around {place} for two hours on Sunday. Where is the "
        "enforcement?",
        "Almost got hit by a kid on a dirt bike on the sidewalk on {street}. Pushing a stroller.",
    ],
    "break_ins": [
        "My car was broken into on {street} last night, window smashed, they took a bag with my "
        "laptop. Third car on our block this month.",
        "Someone is going car to car on {street} checking door handles around 3am, caught them on "
        "my ring camera. Lock your cars people",
        "Our garage at {num} {street} got broken into, bikes gone. Filed a report, never heard "
        "back. Case number anyone?",
        "Package thefts on {street} are nonstop. Three packages stolen off my porch since Labor "
        "Day.",
    ],
    "catalytic": [
        "Catalytic converter stolen off my Prius in broad daylight near {place}. $2,400 to fix. "
        "Gray sedan, plate {plate}, drove off toward {street}.",
        "Second catalytic converter theft on {street} this month. They were under the car in 90 "
        "seconds.",
        "Heads up, catalytic converter thieves hit the lot behind {place} last night. Silver "
        "pickup, partial plate {plate}.",
    ],
    "drugs": [
        "Open drug dealing at the corner of {street} and {street2}, all day, every day. Everyone "
        "knows the house. Nothing happens.",
        "There is a house on {street} with cars pulling up for 2 minutes and leaving all night. "
        "It's obviously dealing.",
        "Found another overdose victim behind {place} this morning. Narcan saved him. This is "
        "every week now.",
        "People are using in the stairwell of the parking garage off {street}.",
    ],
    "needles": [
        "Needles all over the playground at {place}. My daughter almost picked one up. Who is "
        "supposed to clean this??",
        "Found 6 syringes by the benches in {place} today, reported to 311, still there 3 days "
        "later",
        "Sharps container at {place} is overflowing and there are needles in the mulch.",
    ],
    "encampments": [
        "The encampment along {place} has doubled since August. People need somewhere to go, "
        "but the trail is not safe to walk anymore.",
        "Tents under the bridge near {street} again. Please send outreach workers, not just a "
        "sweep. These are our neighbors.",
        "Someone has been sleeping in the doorway of my shop on {street} and leaving human "
        "waste. I don't want them arrested, I want them housed, but I also need to open my store.",
    ],
    "noise": [
        "Fireworks EVERY night near {place}. It's September. My dog is a wreck and so am I.",
        "Loud music from the house at {num} {street} until 3am every weekend. Called the non "
        "emergency line 4 times.",
        "Car stereos booming on {street} at 2am. You can feel it in the windows.",
        "Gunshots or fireworks? Honestly can't tell anymore around {place}.",
    ],
    "lights": [
        "Street lights out on {street} between {street2} and the park for over a month. It's "
        "pitch black walking home from the bus.",
        "The light at the entrance to {place} has been broken since July. Reported it twice.",
        "Half the lights on {street} are out. Feels unsafe, especially for the older folks.",
    ],
    "potholes": [
        "The pothole on {street} in front of {place} ate my tire. $180. Thanks Port Alder.",
        "Potholes on {street} are so bad people swerve into oncoming traffic to avoid them.",
        "Sidewalk on {street} is heaved up by the tree roots, my mother tripped and broke her "
        "wrist.",
    ],
    "response": [
        "Called 911 about a fight outside {place} and it took 40 minutes for anyone to show up.",
        "Police response times in {hood} are terrible. Waited over an hour after our break in.",
        "Why does it take 3 hours to get an officer for a hit and run? I was told they were "
        "'short staffed' again.",
        "We never see patrols in {hood} anymore unless something already happened.",
        "Would love to see officers walking {street} and actually talking to people, not just "
        "driving by.",
    ],
    "rude": [
        "{officer} (badge {badge}) was incredibly rude to me when I reported my stolen bike, told "
        "me it was my own fault and walked away.",
        "The officer who came to my door was dismissive and condescending. Badge {badge}. I want "
        "to file a complaint, who do I call?",
        "My son was stopped on {street} for 'matching a description' for the third time this "
        "year. He's 15. This is profiling.",
    ],
    "praise": [
        "Shout out to {co}, he knows every kid at {place} by name. More officers like him please!",
        "{co} helped my elderly neighbor after her fall and checked on her the next day. That's "
        "community policing.",
        "Thank you to the officers who responded so fast on {street} Saturday night. Professional "
        "and kind.",
        "The coffee with a cop at {place} was great, felt heard for the first time in years.",
    ],
    "youth": [
        "The kids have nothing to do after school since they cut hours at {place}. Of course "
        "they're getting into trouble.",
        "Please bring back the summer basketball league at {place}. It kept teenagers busy and "
        "safe.",
        "More youth programs, fewer arrests. Fund the rec center.",
        "Teenagers hanging out at {place} aren't a crime. Stop calling the cops on kids for "
        "existing.",
    ],
    "rent": [
        "Rent on my apartment went up $400 this year. Half my building is moving out. Nobody "
        "talks about that as a safety issue but it is.",
        "The landlord at {num} {street} hasn't fixed the broken front door lock in 2 months, "
        "anyone can walk in. Code enforcement?",
        "Vacant building on {street} with broken windows, people going in and out at night.",
    ],
    "dumping": [
        "Someone dumped a mattress, a couch and 20 bags of trash behind {place} again.",
        "Trash pickup skipped {street} two weeks in a row and now there are rats everywhere.",
        "Illegal dumping at the end of {street}, looks like a contractor. White box truck, plate "
        "{plate}.",
        "Graffiti all over the underpass by {place} and the overflowing bins. It just feels "
        "neglected.",
    ],
    "parking": [
        "People park on the sidewalk on {street} all the time, wheelchair users have to go in "
        "the road.",
        "Abandoned car on {street} for 6 weeks, no plates, windows smashed.",
        "Somebody blocks my driveway at {num} {street} every single Sunday. Towing takes hours.",
        "Cars parked in front of the hydrant on {street} every night. If there's a fire we're "
        "done.",
    ],
    "questions": [
        "Does anyone know if there's a neighborhood watch in {hood}? How do I join?",
        "When is the next community meeting for {hood}? Is it online too?",
        "Is there a way to see crime stats for just {hood}? {url}",
        "Who do I call about the street light on {street}, the city or Central Maine Power?",
    ],
    "sarcasm": [
        "Oh great, another 'listening session'. Can't wait to be listened to again and then "
        "nothing happens 🙄",
        "Love how the only time I see a police car on {street} is at the Dunkin drive thru.",
        "Good to know the city has money for new logos but not for street lights on {street}.",
        "Wow another car broken into in {hood}, shocking, truly, never happens.",
    ],
}

NON_ENGLISH = [
    (
        "es",
        "Hay mucha venta de drogas en la esquina de {street} y nadie hace nada. Tengo miedo "
        "de salir de noche con mis hijos.",
    ),
    (
        "es",
        "Los carros pasan muy rápido por {street}. Necesitamos un cruce peatonal cerca de la "
        "escuela, por favor.",
    ),
    ("es", "Gracias al oficial Greene, siempre saluda a los niños en {place}."),
    (
        "vi",
        "Khu phố của tôi có nhiều người bán ma túy vào ban đêm. Đèn đường trên {street} bị "
        "hỏng đã lâu, rất nguy hiểm.",
    ),
]

CAMPAIGN = (
    "I am a resident of Port Alder and I urge the City Council to fund speed humps and traffic "
    "calming on every residential street near a school. Our children deserve to walk to school "
    "safely. Please vote YES on the Safe Streets for Kids resolution at the October 7 meeting."
)


# --- small helpers -----------------------------------------------------------------------------


class Gen:
    """All random choices go through one seeded generator, in a fixed order."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)

    def phone(self) -> str:
        fmt = self.rng.choice(PHONE_FORMATS)
        return fmt.format(a="207", b="555", c=f"01{self.rng.randint(0, 99):02d}")

    def plate(self) -> str:
        r = self.rng
        letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
        style = r.randint(0, 2)
        if style == 0:
            return f"{r.randint(1, 9)}{''.join(r.choices(letters, k=3))}{r.randint(100, 999)}"
        if style == 1:
            return f"ME {r.randint(1000, 9999)}-{''.join(r.choices(letters, k=2))}"
        return f"{''.join(r.choices(letters, k=3))} {r.randint(1000, 9999)}"

    def email(self, name: str) -> str:
        first, *rest = name.lower().replace("'", "").split()
        last = rest[-1] if rest else "x"
        style = self.rng.randint(0, 3)
        local = [
            f"{first}.{last}",
            f"{first[0]}{last}",
            f"{first}{last}{self.rng.randint(1, 99)}",
            f"{last}.{first[0]}",
        ][style]
        dom = self.rng.choice(["example.com", "example.net", "mail.example.org", "example.com"])
        return f"{local}@{dom}"

    def slots(self, hood: Hood) -> dict[str, str]:
        r = self.rng
        s1, s2 = r.sample(hood.streets, 2)
        officer, badge = r.choice(OFFICERS)
        name_choice = r.random()
        hood_ref = hood.name if name_choice < 0.6 else r.choice(hood.aliases)
        return {
            "street": s1,
            "street2": s2,
            "street_uc": s1.upper(),
            "place": r.choice(hood.places),
            "hood": hood_ref,
            "name": r.choice(RESIDENTS),
            "officer": officer,
            "badge": badge,
            "phone": self.phone(),
            "plate": self.plate(),
            "num": str(r.randint(3, 480)),
            "url": r.choice(URLS),
            "co": COMMUNITY_OFFICER,
        }

    def comment(self, hood: Hood, *, topic: str | None = None, mess: float = 0.35) -> str:
        """One resident comment about ``hood``, roughed up with probability ``mess``."""
        r = self.rng
        topic = topic or r.choice(sorted(BANK))
        text = r.choice(BANK[topic]).format(**self.slots(hood))
        if r.random() < mess:
            text = self.roughen(text)
        return text

    def roughen(self, text: str) -> str:
        r = self.rng
        kind = r.randint(0, 5)
        if kind == 0:
            return text.upper()
        if kind == 1:
            return text + " " + "".join(r.choices(EMOJI, k=r.randint(1, 3)))
        if kind == 2:
            return self.typos(text)
        if kind == 3:
            return text.lower().rstrip(".") + " smh"
        if kind == 4:
            return text + " " + r.choice(URLS)
        return text.replace(". ", "... ", 1).rstrip(".") + "!!"

    def typos(self, text: str) -> str:
        words = text.split(" ")
        for _ in range(max(1, len(words) // 12)):
            i = self.rng.randrange(len(words))
            w = words[i]
            if len(w) > 3:
                j = self.rng.randrange(1, len(w) - 2)
                words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
        text = " ".join(words)
        return text.replace("their", "there").replace("you're", "your")

    def when(self, month: int, *, start_hour: int = 7, end_hour: int = 23) -> datetime:
        """A local (America/New_York) time in 2026-``month``."""
        r = self.rng
        day = r.randint(1, 30 if month in (9, 11) else 31)
        return datetime(
            2026,
            month,
            day,
            r.randint(start_hour, end_hour - 1),
            r.randint(0, 59),
            r.randint(0, 59),
            tzinfo=TZ,
        )


def mojibake(text: str) -> str:
    """UTF-8 bytes read as cp1252: what ftfy is meant to repair ("café" -> "cafÃ©")."""
    return text.encode("utf-8").decode("cp1252", errors="replace")


def us_time(dt: datetime) -> str:
    """``09/14/2026 7:42 PM`` (no leading zero on the hour, like survey tools write it)."""
    return f"{dt:%m/%d/%Y} {int(dt.strftime('%I'))}:{dt:%M} {dt:%p}"


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


def write_csv(
    path: Path, header: list[str], rows: list[list[object]], *, bom: bool = False
) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((("\ufeff" if bom else "") + buf.getvalue()).encode("utf-8"))


def normalise_zip(path: Path) -> None:
    """Rewrite an OOXML zip with fixed entry times and a fixed core.xml date: byte-stable output."""
    with zipfile.ZipFile(path) as zin:
        entries = [(info.filename, zin.read(info.filename)) for info in zin.infolist()]
    stamp = FIXED_DOC_DATE.strftime("%Y-%m-%dT%H:%M:%SZ")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zout:
        for name, data in entries:
            if name == "docProps/core.xml":
                text = data.decode("utf-8")
                for tag in ("created", "modified"):
                    text = re.sub(
                        rf"(<dcterms:{tag}[^>]*>)[^<]*(</dcterms:{tag}>)",
                        rf"\g<1>{stamp}\g<2>",
                        text,
                    )
                data = text.encode("utf-8")
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, data)
    path.write_bytes(buf.getvalue())


# --- gazetteer ---------------------------------------------------------------------------------


def _polygons(g: Gen) -> dict[str, list[tuple[float, float]]]:
    """A 4 x 2 grid of irregular polygons (shared jittered vertices and edge midpoints)."""
    r = g.rng
    lon0, lon1, lat0, lat1 = -70.335, -70.205, 43.625, 43.695
    nx, ny = 4, 2
    dx, dy = (lon1 - lon0) / nx, (lat1 - lat0) / ny
    vert: dict[tuple[int, int], tuple[float, float]] = {}
    for i in range(nx + 1):
        for j in range(ny + 1):
            jx = r.uniform(-0.18, 0.18) * dx if 0 < i < nx else r.uniform(-0.05, 0.05) * dx
            jy = r.uniform(-0.18, 0.18) * dy if 0 < j < ny else r.uniform(-0.05, 0.05) * dy
            vert[i, j] = (round(lon0 + i * dx + jx, 5), round(lat0 + j * dy + jy, 5))
    mids: dict[tuple[tuple[int, int], tuple[int, int]], tuple[float, float]] = {}

    def mid(a: tuple[int, int], b: tuple[int, int]) -> tuple[float, float]:
        key = (min(a, b), max(a, b))
        if key not in mids:
            (x1, y1), (x2, y2) = vert[key[0]], vert[key[1]]
            # move the midpoint a little across the edge: boundaries are not straight lines
            nxp, nyp = -(y2 - y1), (x2 - x1)
            t = r.uniform(-0.08, 0.08)
            mids[key] = (round((x1 + x2) / 2 + t * nxp, 5), round((y1 + y2) / 2 + t * nyp, 5))
        return mids[key]

    out = {}
    order = [h.id for h in HOODS]
    for k, hid in enumerate(order):
        i, row = k % nx, k // nx
        j = ny - 1 - row  # north row first
        a, b, c, d = (i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)
        ring = [vert[a], mid(a, b), vert[b], mid(b, c), vert[c], mid(c, d), vert[d], mid(d, a)]
        ring.append(ring[0])
        out[hid] = ring
    return out


def point_in_ring(x: float, y: float, ring: list[tuple[float, float]]) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def random_point(g: Gen, ring: list[tuple[float, float]]) -> tuple[float, float]:
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    while True:
        x, y = g.rng.uniform(min(xs), max(xs)), g.rng.uniform(min(ys), max(ys))
        if point_in_ring(x, y, ring):
            return round(y, 6), round(x, 6)


def write_gazetteer(out: Path, polys: dict[str, list[tuple[float, float]]]) -> None:
    lines = [
        "# Port Alder (fictional), written by scripts/make_sample_data.py",
        "# format: docs/gazetteer.md",
        "city: Port Alder",
        'version: "2026.1"',
        "boundaries: neighborhoods.geojson",
        "neighborhoods:",
    ]
    for h in HOODS:
        lines += [
            f"  - id: {h.id}",
            f"    name: {h.name}",
            f"    aliases: {json.dumps(h.aliases, ensure_ascii=False)}",
            f"    zips: {json.dumps(h.zips)}",
            "    places:",
            *[f"      - {json.dumps(p, ensure_ascii=False)}" for p in h.places],
            f"    streets: {json.dumps(h.streets, ensure_ascii=False)}",
        ]
    write_text(out / "gazetteer" / "gazetteer.yaml", "\n".join(lines) + "\n")
    fc = {
        "type": "FeatureCollection",
        "name": "port_alder_neighborhoods",
        "features": [
            {
                "type": "Feature",
                "properties": {"neighborhood_id": h.id, "name": h.name},
                "geometry": {"type": "Polygon", "coordinates": [[list(p) for p in polys[h.id]]]},
            }
            for h in HOODS
        ],
    }
    write_text(out / "gazetteer" / "neighborhoods.geojson", json.dumps(fc, indent=1) + "\n")


# --- surveys -----------------------------------------------------------------------------------

Q3 = "Q3. What is the ONE issue that most affects your safety?"
Q4 = "Q4. In the past month, have you noticed any changes in your neighborhood? Please describe."
Q6 = "Q6. Is there anything else you would like the Police Department or City to know? (optional)"
CHECKS = ["Q5_Speeding", "Q5_Drugs", "Q5_BreakIns", "Q5_Noise", "Q5_Lighting", "Q5_Other"]
CHANGES = [
    "No real change.",
    "Things have gotten worse since the summer.",
    "n/a",
    "More people hanging around {place} at night.",
    "It's quieter since they fixed the lights.",
    "More tents by {place}.",
    "New speed bumps on {street} helped a lot!",
    "Not really",
    "Rent went up again, a lot of neighbors moved out.",
    "More police cars lately, which is good.",
    "Break ins on {street} are way up.",
    "idk",
    "Less trash since the new bins.",
]


def neighborhood_answer(g: Gen, hood: Hood) -> str:
    r = g.rng.random()
    if r < 0.45:
        return hood.name
    if r < 0.65:
        return g.rng.choice(hood.aliases)
    if r < 0.75:
        return g.rng.choice(hood.misspellings)
    if r < 0.82:
        return hood.name.lower() + " "
    if r < 0.9:
        return ""
    return g.rng.choice(
        ["Near " + g.rng.choice(hood.places), "downtown", "Other", "prefer not to say"]
    )


def zip_answer(g: Gen, hood: Hood) -> str:
    r = g.rng.random()
    z = g.rng.choice(hood.zips)
    if r < 0.65:
        return z
    if r < 0.8:
        return f"{z}-{g.rng.randint(1000, 9999)}"
    return ""


def survey_row(g: Gen, hood: Hood, month: int) -> dict[str, object]:
    r = g.rng
    q3 = g.comment(hood, mess=0.3)
    q4 = r.choice(CHANGES).format(**g.slots(hood)) if r.random() < 0.8 else ""
    q6 = g.comment(hood, mess=0.4) if r.random() < 0.45 else ""
    if r.random() < 0.15:
        q6 = r.choice(["no", "N/A", "Thanks for asking.", "nope", "-", "Call me: " + g.phone()])
    name = r.choice(RESIDENTS)
    return {
        "when": g.when(month),
        "hood": neighborhood_answer(g, hood),
        "zip": zip_answer(g, hood),
        "q3": q3,
        "q4": q4,
        "q6": q6,
        "checks": [r.random() < 0.35 for _ in CHECKS],
        "email": g.email(name) if r.random() < 0.7 else "",
    }


def survey_rows(g: Gen, n: int) -> list[dict[str, object]]:
    rows = []
    for k in range(n):
        hood = g.rng.choice(HOODS)
        rows.append(survey_row(g, hood, 9 if k < n // 2 else 10))
    rows.sort(key=lambda x: x["when"])  # exports are in submission order
    return rows


def write_surveys(g: Gen, out: Path) -> None:
    rows = survey_rows(g, 70)
    # the deliberate mess (README checklist)
    rows[5]["q3"] = rows[5]["q4"] = rows[5]["q6"] = ""  # all open answers blank
    rows[11]["q4"] = "   "  # whitespace only
    rows[17]["q3"] = NON_ENGLISH[0][1].format(**g.slots(HOOD["east-bayside"]))
    rows[17]["hood"] = "East Bayside"
    rows[17]["zip"] = "04104"
    rows[29]["q3"] = NON_ENGLISH[1][1].format(**g.slots(HOOD["northside"]))
    rows[29]["hood"] = "Northside"
    rows[29]["zip"] = "04103"
    rows[41]["q6"] = NON_ENGLISH[3][1].format(**g.slots(HOOD["east-bayside"]))
    rows[41]["hood"] = "Bayside"
    rows[41]["zip"] = "04104-2231"
    rows[23]["q6"] = mojibake(
        "The new café on Fore Street is great but the sidewalk outside it’s a mess – broken "
        "glass every morning from car break-ins."
    )
    rows[33]["q3"] = (
        "Honestly? The speeding on Forest Avenue. I've lived here 22 years and it has never been "
        "this bad. Cars pass the school bus on the right. I've emailed the council twice "
        f"({g.email('Carol Pelletier')}) and nobody responds. My number is {g.phone()} if "
        "anyone from traffic engineering actually wants to talk."
    )
    header = [
        "Response ID",
        "Submitted On",
        "Which neighborhood do you live in?",
        "ZIP code",
        Q3,
        Q4,
        *CHECKS,
        Q6,
        "Respondent email",
    ]
    out_rows = []
    for k, row in enumerate(rows):
        when = us_time(row["when"])  # type: ignore[arg-type]
        if k == 47:
            when = "last Tuesday"  # garbage date
        checks = ["1" if c else "" for c in row["checks"]]  # type: ignore[union-attr]
        out_rows.append(
            [
                f"R_{3000 + 17 * k}",
                when,
                row["hood"],
                row["zip"],
                row["q3"],
                row["q4"],
                *checks,
                row["q6"],
                row["email"],
            ]
        )
    write_csv(out / "survey" / "community_survey_2026.csv", header, out_rows, bom=True)

    # XLSX: other respondents, same survey tool, other export options (odd headers, Checked)
    from openpyxl import Workbook

    xrows = survey_rows(g, 50)
    xrows[8]["q3"] = NON_ENGLISH[2][1].format(**g.slots(HOOD["northside"]))
    xrows[8]["hood"] = "North Side"
    xrows[8]["zip"] = "04103"
    xrows[20]["q6"] = "     "
    wb = Workbook()
    ws = wb.active
    ws.title = "Responses"
    ws.append(
        [
            "Response ID ",
            "Submitted On (Eastern Time)",
            "Neighborhood  ",
            "Zip / Postal Code",
            "Q3 - What is the ONE issue that most affects your safety? ",
            "Q4 - Changes noticed in the past month (please describe)",
            "Q5 - Speeding",
            "Q5 - Drugs",
            "Q5 - Break-ins",
            "Q5 - Noise",
            "Q5 - Lighting",
            "Q5 - Other",
            "Q6 - Anything else? (optional)",
            "Email (optional)",
        ]
    )
    for k, row in enumerate(xrows):
        when: object = row["when"].replace(tzinfo=None)  # type: ignore[union-attr]
        if k in (13, 31):
            when = us_time(row["when"])  # type: ignore[arg-type]  # a few typed in as text
        checks = ["Checked" if c else None for c in row["checks"]]  # type: ignore[union-attr]
        ws.append(
            [
                f"XL-{5100 + k}",
                when,
                row["hood"] or None,
                row["zip"] or None,
                row["q3"] or None,
                row["q4"] or None,
                *checks,
                row["q6"] or None,
                row["email"] or None,
            ]
        )
    for cell in ws["B"][1:]:
        if isinstance(cell.value, datetime):
            cell.number_format = "mm/dd/yyyy h:mm AM/PM"
    wb.properties.creator = "Port Alder Survey Tool"
    wb.properties.created = FIXED_DOC_DATE
    path = out / "survey" / "community_survey_2026.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    normalise_zip(path)


# --- meetings: markdown minutes, docx notes, captions, plain text -------------------------------


def write_minutes_md(g: Gen, out: Path) -> None:
    hp = HOOD["harbor-point"]
    o1, b1 = OFFICERS[0]
    text = f"""# Harbor Point Community Meeting — Minutes

**Date:** September 17, 2026, 6:30 PM
**Location:** Harbor Point Library, community room (and on Zoom)
**Attendees:** ~35 residents; Council Member Ortiz; Sgt. Kim and Officer Diaz (Port Alder PD);
{COMMUNITY_OFFICER}; Dana Whitfield (Harbor Point Neighborhood Assn., chair)
**Minutes taken by:** Grace Thibodeau

## 1. Welcome and introductions

Dana Whitfield opened the meeting at 6:34 PM and reviewed the agenda.

## 2. Police update

Sgt. Kim (PD): Thanks for having us. Year to date, car break-ins in the Harbor Point sector are
up about 30 percent, mostly overnight on Commercial Street and Wharf Street. Please don't leave
bags in your cars. We've added an overnight patrol on weekends starting this month.

Officer Diaz: We've also had six catalytic converter thefts since August, all near Pier 9 and the
Ferry Terminal lot. If you see someone under a car at 3am, call it in, don't confront them.

## 3. Open discussion

**Maria Lopez (Resident):** My car was broken into twice in August outside my house at 112
Cannery Row. The second time I called and nobody came until the next afternoon. I don't need an
extra patrol on weekends, I need someone to pick up the phone on a Tuesday.

**Frank Castellano (Resident):** I run the bait shop on Dock Lane. The dirt bikes come down Water
Street every night around ten, no lights, no helmets, right past the ferry line. Somebody is going
to get killed and then everybody will act surprised.

Sgt. Kim (PD): We can't chase dirt bikes, it's too dangerous, but we're working on finding where
they're stored.

**Frank Castellano (Resident):** With respect, you've been "working on it" since last summer.

**Keisha Brown (Resident):** I want to say something positive. {COMMUNITY_OFFICER} has been
coming to the basketball court at Fish Pier Park every week and the kids love him. That's the
kind of policing that works. Please don't move him to another district.

Resident (unnamed): The needles at Fish Pier Park are back. I found three by the swings on
Saturday. Who cleans that up? I called 311 and got a voicemail.

Council Member Ortiz: I'll follow up with Parks on the sharps containers and the cleanup schedule.
I'd also like to hear more about lighting.

**Patrick O'Malley (Resident):** Half the street lights on Fore Street between the library and
Custom House Wharf are out. It's been that way since July. I walk home from my shift at 11 and it's
pitch dark.

It's not just lights either. The sidewalk there is broken up and my wife fell last month.

**Tom Beaulieu (Resident):** I want to file a complaint. {o1}, badge {b1}, was extremely rude to my
elderly mother when she reported her purse stolen at the Ferry Terminal. He told her she should
have been more careful and walked off. You can reach me at {g.phone()}.

Sgt. Kim (PD): I'm sorry to hear that. Please see me after the meeting and I'll take down the
details; you can also file online.

**Linh Nguyen (Resident):** Rents on the Point are pushing families out. My neighbors on Wharf
Street got a 35 percent increase. When people leave, the buildings sit empty and that's when the
problems start.

Resident (unnamed): Are there any plans for speed humps on Commercial Street? The trucks going to
the wharf do 45.

Council Member Ortiz: There's a Safe Streets resolution coming to Council on October 7. I
encourage everyone to come or send comments.

## 4. Announcements

- Coffee with a Cop: first Saturday of the month, Harbor Point Library, 9 AM.
- Fall cleanup at Fish Pier Park on October 10. Sign up: https://portalder.example.gov/volunteer

## 5. Adjourned

Meeting adjourned at 8:05 PM. Next meeting: October 15, 2026.
"""
    _ = hp
    write_text(out / "meetings" / "2026-09-17_harbor_point_community_meeting.md", text)


def write_listening_docx(g: Gen, out: Path) -> None:
    from docx import Document

    doc = Document()
    doc.add_heading("Northside Listening Session", level=1)
    doc.add_paragraph("Date: October 15, 2026")
    doc.add_paragraph("Location: Northside Rec Center, gym")
    doc.add_paragraph("Facilitator: Councilor Beth Lindqvist. Notes: Ward 2 office staff.")
    doc.add_heading("Attendance", level=2)
    table = doc.add_table(rows=1, cols=3)
    for cell, title in zip(table.rows[0].cells, ["Name", "Affiliation", "Signed in"], strict=True):
        cell.text = title
    for name, aff in [
        ("Beth Lindqvist", "City Council, Ward 2"),
        ("Lt. Marcus Harrow", "Port Alder PD"),
        ("Officer Mbeki", "Port Alder PD"),
        ("Ahmed Farah", "Resident"),
        ("Rosa Delgado", "Resident"),
        ("Hannah Kowalski", "Resident"),
        ("Samuel Okafor", "Northside Youth Alliance"),
        ("Joe Fortin", "Resident"),
    ]:
        row = table.add_row().cells
        row[0].text, row[1].text, row[2].text = name, aff, "yes"
    doc.add_heading("Statements", level=2)
    officer, badge = OFFICERS[3]
    paras = [
        "Councilor Lindqvist: Welcome everyone. Tonight is about listening. Each person has three "
        "minutes, and the Lieutenant will respond at the end.",
        "Ahmed Farah: I live at 48 Ludlow Street with my wife and three kids. Every night there "
        "are cars racing on Stevens Avenue, sometimes 70 miles an hour. Last week one hit a parked "
        "car right in front of my house.",
        "I called the police, they came after one hour. My kids cannot play outside. We need "
        "speed bumps and a camera. My phone is " + g.phone() + ", please call me.",
        "Rosa Delgado: Longfellow Park is not safe after dark anymore. There are people selling "
        "drugs by the basketball court and the lights have been out since the summer. My "
        "daughter found a needle by the slide.",
        "Lt. Harrow (PD): Can I just say we have heard about the park and we're adding it to the "
        "evening checks.",
        "Rosa Delgado: You said that in March.",
        "Hannah Kowalski: I want to talk about the car break-ins on Brighton Avenue. Four cars on "
        "my block in two weeks. One of them was a white Honda, plate " + g.plate() + ", that "
        "got its catalytic converter cut off. The detective never called back.",
        "Samuel Okafor: I run the Northside Youth Alliance. Since the rec center cut its evening "
        "hours, we have nowhere to go after 6. Kids end up at Bramhall Market parking lot and "
        "then people call the police on them for standing around.",
        "We are asking for the rec center to be open until 9 on school nights and for the city "
        "to fund two youth workers. That is cheaper than one patrol car.",
        "Joe Fortin: I've lived on Elm Street for 40 years. I'm not against the kids. But the "
        "fireworks at 1am every night since July, the loud music, the dirt bikes. Nobody "
        f"enforces anything. {officer} (badge {badge}) told me to 'just close my windows'.",
        "Resident (unnamed): When will the trash pickup be fixed? They skipped our street three "
        "times and now there are rats at St. Brigid's Church.",
        "Officer Mbeki: Trash is public works, but I'll pass it on. For the break-ins, please "
        "report every one, even small ones, it is how we get resources assigned.",
        "Lt. Harrow (PD): Thank you all. We will be back in January with numbers on what we "
        "changed.",
    ]
    for p in paras:
        doc.add_paragraph(p)
    doc.core_properties.author = "Ward 2 Office"
    doc.core_properties.last_modified_by = "Ward 2 Office"
    doc.core_properties.created = FIXED_DOC_DATE
    doc.core_properties.modified = FIXED_DOC_DATE
    doc.core_properties.revision = 1
    path = out / "meetings" / "2026-10-15_northside_listening_session.docx"
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    normalise_zip(path)


def _cues(
    turns: list[tuple[str, bool]], g: Gen, *, overlap_every: int = 0
) -> list[tuple[float, float, str]]:
    """Split speaker turns into caption cues of a few words; ``>>`` marks a new speaker."""
    t = 2.0
    cues = []
    for text, new_speaker in turns:
        words = text.split()
        first = True
        while words:
            n = g.rng.randint(6, 10)
            chunk, words = words[:n], words[n:]
            line = " ".join(chunk)
            if first and new_speaker:
                line = ">> " + line
            first = False
            dur = 0.4 * len(chunk) + g.rng.uniform(0.2, 0.9)
            start = t
            if overlap_every and len(cues) % overlap_every == overlap_every - 1:
                start = t - 0.8  # the captioner's rolling lines overlap the previous cue
            cues.append((round(start, 3), round(t + dur, 3), line))
            t += dur + g.rng.uniform(0.05, 0.6)
        t += g.rng.uniform(1.0, 4.0)
    return cues


def _ts(sec: float, sep: str) -> str:
    h, rem = divmod(sec, 3600)
    m, s = divmod(rem, 60)
    return f"{int(h):02d}:{int(m):02d}:{int(s):02d}{sep}{int(round((s % 1) * 1000)) % 1000:03d}"


COMMITTEE_OCT = [
    (
        "Good evening. I'll call this meeting of the Public Safety Committee to order. It's 5:30. "
        "Clerk, please call the roll.",
        True,
    ),
    (
        "Council Member Ortiz, present. Council Member Lindqvist, present. Chair Abbott, present. "
        "You have a quorum.",
        True,
    ),
    (
        "Thank you. First item is the monthly report from the Police Department. Chief Whitcomb.",
        True,
    ),
    (
        "Thank you Madam Chair. In September we responded to 4,112 calls for service. Median "
        "response time for priority one calls was 7 minutes 40 seconds, which is up from 6 minutes "
        "last year, and that's a staffing issue, we have 14 vacancies. Motor vehicle break-ins are "
        "up in Harbor Point and Northside. Catalytic converter thefts are down slightly.",
        True,
    ),
    (
        "We'll now open public comment. Please state your name and your neighborhood. You have two "
        "minutes.",
        True,
    ),
    (
        "MY NAME IS DESMOND CLARKE AND I LIVE ON OCEAN AVENUE IN LIGHTHOUSE HILL. I HAVE BEEN "
        "COMING TO THESE MEETINGS FOR TWO YEARS ABOUT THE SPEEDING ON OCEAN AVENUE. TWO YEARS. "
        "A CHILD WAS HIT IN THE CROSSWALK AT CUTTER STREET IN AUGUST. WHAT IS IT GOING TO TAKE?",
        True,
    ),
    ("Thank you Mr. Clarke. Next speaker.", True),
    (
        "Hi, I'm Amina Yusuf, I live in East Bayside near Kennedy Park. I want to thank the "
        "outreach team, they've been at the encampment on the Bayside Trail twice a week and "
        "that's real progress. But we need more shelter beds, the family shelter on Mayo Street "
        "is full every night and people are [inaudible] outside in October.",
        True,
    ),
    (
        "And the needles. There are needles on the trail every morning where kids walk to school.",
        False,
    ),
    ("Thank you. Next.", True),
    (
        "Yeah my name is Rick Dunphy, Old Mill District. I was pulled over on Canal Street by two "
        "officers, they searched my car with no reason, Officer Landry badge 3856. I filed a "
        "complaint in July and never heard back. Who oversees this? Is there a civilian review "
        "board or not?",
        True,
    ),
    (
        "Mr. Dunphy, staff will get your contact information. The civilian review board meets "
        "on the third Thursday.",
        True,
    ),
    (
        "Good evening, Nadia Petrova, West End. Street lights on Pine Street have been out for six "
        "weeks and we've had two purse snatchings. Please fix the lights, it's a simple thing.",
        True,
    ),
    ("Thank you all. That ends public comment. We'll move to item two.", True),
]

COMMITTEE_SEP = [
    (
        "Okay, we're going to get started. This is the September 4th meeting of the Public Safety "
        "Committee.",
        True,
    ),
    ("Today we have an update on the dirt bike enforcement plan and then public comment.", False),
    (
        "Thank you Chair. So the dirt bike problem is concentrated in Riverton and Northside, "
        "around Riverton Park and along Forest Avenue. We do not pursue, for safety, but we've "
        "recovered 11 bikes from a storage lot on Warren Avenue this summer.",
        True,
    ),
    ("Public comment. Name and neighborhood please.", True),
    (
        "Hello, Bev Sargent, Riverton. The dirt bikes come through Riverton Park every evening "
        "and my grandson was almost hit on the path. 11 bikes is nothing, there are dozens.",
        True,
    ),
    (
        "Hi, I'm Marcus Reed from Libby Hill. I'm here to say thank you to Officer Jamal Greene "
        "and "
        "the community policing unit. They set up the basketball nights at Libby Hill Skate Park "
        "and it's the best thing that happened here in years. Please fund it for next year.",
        True,
    ),
    (
        "Priya Raman, Northside. The fireworks. Every night. Since June. I have called the non "
        "emergency number at 207-555-0100 probably 30 times. Nothing.",
        True,
    ),
    ("[crosstalk] Sorry, one at a time please.", True),
    (
        "Yolanda Price, East Bayside. Rents on Anderson Street are up 30 percent and there are "
        "more vacant buildings. People break in and [inaudible] and then it's a fire hazard. "
        "Code enforcement needs to do its job.",
        True,
    ),
    ("Thank you. Seeing no one else, public comment is closed.", True),
]


def write_captions(g: Gen, out: Path) -> None:
    cues = _cues(COMMITTEE_OCT, g, overlap_every=9)
    lines = ["WEBVTT", "Kind: captions", "Language: en", ""]
    for k, (a, b, text) in enumerate(cues, 1):
        lines += [str(k), f"{_ts(a, '.')} --> {_ts(b, '.')}", text, ""]
    write_text(out / "meetings" / "2026-10-02_public_safety_committee.vtt", "\n".join(lines))
    cues = _cues(COMMITTEE_SEP, g)
    lines = []
    for k, (a, b, text) in enumerate(cues, 1):
        lines += [str(k), f"{_ts(a, ',')} --> {_ts(b, ',')}", text, ""]
    write_text(out / "meetings" / "2026-09-04_public_safety_committee.srt", "\n".join(lines))


def write_office_hours(g: Gen, out: Path) -> None:
    text = f"""Councilor Lindqvist - office hours notes
Oct 22 2026, Bramhall Market back room, 4-6pm

Walk-ins: 7. Notes typed up by staff, lightly edited.

Carol Pelletier: wants speed humps on Stevens Ave near Northside Middle School. Says she emailed
twice ({g.email("Carol Pelletier")}), no reply. Asked for a call back at {g.phone()}.

Man from Ludlow St (didn't give name) - car broken into Monday night, window smashed. Says an
officer told him on the phone "nothing we can do". Frustrated w/ response times.

Jenny Park: praise for the new lights on Elm Street!! Says the block feels totally different at
night. Asked whether the same can happen on Brighton Avenue.

Abdi Hassan: landlord at 233 Forest Avenue refuses to fix the back door lock and the hallway
light, people sleep in the stairwell. Has photos. Wants code enforcement to inspect.
Also mentioned the rent increase (from $1,350 to $1,700).

Group of 3 parents from Longfellow Park: needles near the playground, drug dealing by the
courts after 7pm. They want the park lights fixed and more patrols, but also said "we don't
want our kids harassed by cops either".

Tran Van Minh: asked (via his daughter translating) about illegal dumping behind his store on
Forest Avenue, white van, plate {g.plate()}, comes Sunday mornings.

Follow-ups: traffic engineering re Stevens Ave; PD re Longfellow Park evening checks; code
enforcement re 233 Forest Ave.
"""
    write_text(out / "meetings" / "2026-10-22_councilor_office_hours_notes.txt", text)


# --- social ------------------------------------------------------------------------------------

AGENCY_POSTS = [
    "Reminder: lock your vehicles and take valuables inside. Most car break-ins this month were "
    "unlocked cars. Report suspicious activity at (207) 555-0100.",
    "Thanks for the feedback everyone. If you have a specific incident please message us or "
    "call the non-emergency line, we can't take reports in the comments.",
    "Join us for Coffee with a Cop this Saturday at the Harbor Point Library, 9-11 AM!",
    "We hear you on the dirt bikes. Please send videos and locations to "
    "https://forms.example.org/dirtbike-report",
]


def fb_user(g: Gen) -> dict[str, str]:
    name = g.rng.choice(RESIDENTS + ["Mike T", "Sarah J.", "Port Alder Mom", "Dave from the Hill"])
    return {"name": name, "id": str(10_000_000_000 + abs(hash_name(name)) % 9_000_000_000)}


def hash_name(name: str) -> int:
    """A stable (not Python-salted) number for a name, so user ids are the same every run."""
    h = 7
    for ch in name:
        h = (h * 31 + ord(ch)) % 1_000_000_007
    return h


def fb_time(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def reactions(g: Gen) -> dict[str, int]:
    r = g.rng
    like, angry, love = r.randint(0, 40), r.randint(0, 12), r.randint(0, 5)
    return {"total": like + angry + love, "like": like, "angry": angry, "love": love}


def write_facebook(g: Gen, out: Path) -> None:
    r = g.rng
    items: list[dict[str, object]] = []
    n = 0

    def add(
        message: str | None,
        *,
        who: dict[str, str] | None = None,
        when: datetime | None = None,
        parent: str | None = None,
        kind: str = "comment",
        react: dict[str, int] | None = None,
    ) -> dict[str, object]:
        nonlocal n
        n += 1
        item: dict[str, object] = {
            "id": f"1029384756_{880000 + 37 * n}",
            "created_time": fb_time(when or g.when(9)),
            "from": who or fb_user(g),
            "type": kind,
        }
        if message is not None:
            item["message"] = message
        if parent:
            item["parent_id"] = parent
        item["reactions"] = react if react is not None else reactions(g)
        items.append(item)
        return item

    agency = {"name": AGENCY_FB, "id": "104455667788990"}
    post = add(
        AGENCY_POSTS[0], who=agency, kind="post", when=datetime(2026, 9, 2, 10, 0, tzinfo=TZ)
    )
    for _ in range(40):
        hood = r.choice(HOODS)
        text = g.comment(hood, mess=0.45)
        if r.random() < 0.2:
            text = (
                "@"
                + r.choice(["Port Alder Police Department", "Beth Lindqvist", "Mike T"])
                + " "
                + text
            )
        when = datetime(2026, 9, 2, 10, 0, tzinfo=TZ) + timedelta(minutes=r.randint(5, 40_000))
        add(text, parent=str(post["id"]), when=when)
        if r.random() < 0.12:
            add(AGENCY_POSTS[1], who=agency, kind="reply", parent=str(post["id"]))
    add(AGENCY_POSTS[3], who=agency, kind="post", when=datetime(2026, 9, 20, 9, 15, tzinfo=TZ))
    # reaction-only items: a reaction with no message
    for _ in range(4):
        add(
            None,
            kind="reaction",
            react={"total": 1, "angry": 1} if r.random() < 0.5 else {"total": 1, "like": 1},
        )
    # emoji-only comments
    for e in ["😡😡😡", "🙏", "👏👏", "💯"]:
        add(e)
    # exact duplicates (the same person posting twice)
    dup_user = {"name": "Shawn McAllister", "id": "10000000777"}
    dup_text = (
        "Another catalytic converter gone on Sheridan Street last night. Third one on our block."
    )
    t0 = g.when(9)
    add(dup_text, who=dup_user, when=t0)
    add(dup_text, who=dup_user, when=t0 + timedelta(seconds=41))
    add(
        "Anyone else's car broken into on Wharf Street?? Mine was. Call me 207-555-0188",
        who={"name": "Rosa Delgado", "id": "10000000222"},
    )
    add(
        "Anyone else's car broken into on Wharf Street?? Mine was. Call me 207-555-0188",
        who={"name": "Rosa Delgado", "id": "10000000222"},
    )
    # copy-paste campaign: 5 accounts, tiny variations in 2
    variants = [
        CAMPAIGN,
        CAMPAIGN,
        CAMPAIGN,
        CAMPAIGN.replace("Our children deserve", "Our kids deserve"),
        CAMPAIGN.replace("at the October 7 meeting.", "at the October 7th meeting!! 🙏"),
    ]
    for who, text in zip(
        ["Jenny Park", "Hannah Kowalski", "Luis Ortega", "Ellen Moody", "Grace Thibodeau"],
        variants,
        strict=True,
    ):
        add(
            text,
            who={"name": who, "id": str(10_000_000_000 + hash_name(who))},
            when=datetime(2026, 9, 28, 19, r.randint(0, 59), tzinfo=TZ),
        )
    # whitespace-only and mojibake messages
    add(" \n  ")
    add(
        mojibake(
            "Thank you to the officer who helped at the café on Commercial Street — "
            "truly above and beyond. ❤️"
        )
    )
    items.sort(key=lambda it: (str(it["created_time"]), str(it["id"])))
    doc = {
        "data": items,
        "paging": {"cursors": {"before": "QVFIUjZA", "after": "QVFIUmx"}, "next": None},
    }
    write_text(
        out / "social" / "facebook_comments_2026-09.json",
        json.dumps(doc, indent=2, ensure_ascii=False) + "\n",
    )


def _epoch(*parts: int) -> int:
    return int(datetime(*parts, tzinfo=TZ).timestamp())


def write_nextdoor(g: Gen, out: Path) -> None:
    r = g.rng
    lines = []
    for k in range(40):
        hood = r.choice(HOODS)
        when = g.when(10, start_hour=6)
        nd_hood = r.choice(
            [hood.name, hood.name, r.choice(hood.aliases), r.choice(hood.misspellings)]
        )
        body = g.comment(hood, mess=0.3)
        if r.random() < 0.25:
            body += "\n\n" + g.comment(hood, mess=0.0)
        obj = {
            "post_id": f"nd-{260_000 + 13 * k}",
            "posted_at": int(when.timestamp()),
            "author": r.choice(RESIDENTS) if r.random() < 0.85 else r.choice(["J.", "Neighbor"]),
            "neighborhood": nd_hood,
            "body": body,
            "reply_count": r.randint(0, 30),
            "category": r.choice(["Crime & Safety", "General", "Lost & Found", "Recommendations"]),
        }
        lines.append(json.dumps(obj, ensure_ascii=False))
    # a second copy of the campaign, a question with a phone number, a broken (truncated) line
    lines.insert(
        12,
        json.dumps(
            {
                "post_id": "nd-269999",
                "posted_at": _epoch(2026, 10, 6, 20, 15),
                "author": "Marcus Reed",
                "neighborhood": "Libbytown",
                "body": CAMPAIGN,
                "reply_count": 2,
                "category": "General",
            }
        ),
    )
    lines.insert(
        25,
        '{"post_id": "nd-270011", "posted_at": '
        + str(_epoch(2026, 10, 11, 23, 2))
        + ', "author": "Joe Fortin", '
        '"neighborhood": "Northside", "body": "Fireworks again on Elm St',
    )
    lines.insert(
        30,
        json.dumps(
            {
                "post_id": "nd-270040",
                "posted_at": _epoch(2026, 10, 19, 7, 40),
                "author": "Bev Sargent",
                "neighborhood": "Riverton Heights",
                "body": "",
                "reply_count": 0,
                "category": "General",
            }
        ),
    )
    write_text(out / "social" / "nextdoor_2026-10.jsonl", "\n".join(lines) + "\n")


def write_twitter(g: Gen, out: Path) -> None:
    r = g.rng
    rows = []
    handles = [
        "alderdad",
        "bayside_bev",
        "PAwatcher",
        "hp_local",
        "northside_nina",
        "riverton_rob",
        "mill_district_mo",
        "lh_runner",
        "libbytown4life",
        "westend_walks",
    ]
    for k in range(42):
        hood = r.choice(HOODS)
        when = g.when(r.choice([9, 10]), start_hour=0, end_hour=24)
        text = g.comment(hood, mess=0.5)
        if r.random() < 0.3:
            text = f"@{AGENCY_TW} " + text
        if r.random() < 0.2:
            text += " #PortAlder"
        rows.append(
            [
                str(1_830_000_000_000_000_000 + 7919 * k),
                when,
                r.choice(handles),
                text[:280],
                r.randint(0, 120),
                r.randint(0, 30),
            ]
        )
    for k, text in enumerate(
        [
            "Lock your cars, Port Alder! Most break-ins we see are unlocked vehicles. #9PMRoutine",
            "Traffic alert: Forest Avenue closed between Elm St and Ludlow St for a crash. "
            "Avoid the area.",
            "@alderdad Thanks, we've passed this to the Harbor Point sector sergeant.",
        ]
    ):
        rows.append(
            [
                str(1_840_000_000_000_000_000 + k),
                g.when(10, start_hour=0, end_hour=24),
                AGENCY_TW,
                text,
                r.randint(5, 200),
                r.randint(0, 60),
            ]
        )
    rows.sort(key=lambda x: x[1])
    out_rows = [
        [tid, when.astimezone(UTC).strftime("%a %b %d %H:%M:%S +0000 %Y"), user, text, lk, rt]
        for tid, when, user, text, lk, rt in rows
    ]
    write_csv(
        out / "social" / "twitter_export_2026.csv",
        ["tweet_id", "created_at", "username", "text", "likes", "retweets"],
        out_rows,
    )


# --- service reports ---------------------------------------------------------------------------

SR = {
    "Pothole": [
        "Large pothole in the right lane, about 2 ft wide.",
        "pothole at the corner, cars swerving around it",
        "Several potholes after the water main work. One is very deep.",
    ],
    "Street Light Out": [
        "Street light out in front of the house.",
        "3 lights out in a row, whole block is dark",
        "Light flickering on and off all night, pole #{num}.",
    ],
    "Illegal Dumping": [
        "Mattress and furniture dumped on sidewalk.",
        "Someone dumped construction debris again, white van plate {plate}.",
        "Bags of household trash dumped by the bins, rats getting into them.",
    ],
    "Abandoned Vehicle": [
        "Car hasn't moved in 5 weeks, flat tires, plate {plate}.",
        "Abandoned van with smashed windows, no plates.",
        "Black sedan plate {plate} parked here since August.",
    ],
    "Graffiti": [
        "Graffiti on the wall of the underpass.",
        "Tagging on the bus shelter and mailbox.",
        "New graffiti on the school fence, looks gang related?",
    ],
    "Noise Complaint": [
        "Loud party every weekend until 3am.",
        "Fireworks every night around 11pm.",
        "Construction starting at 5am, neighbor's # is {phone} if you need it.",
    ],
    "Needles/Sharps": [
        "Needles on the playground near the swings.",
        "About 10 syringes behind the dumpster. Please send someone ASAP.",
        "Used needles in the mulch by the bench.",
    ],
    "Encampment": [
        "Tents set up along the path, about 6 now.",
        "Person sleeping in the bus shelter every night, seems unwell, please send "
        "outreach not police.",
        "Encampment growing, trash and fires at night.",
    ],
    "Traffic/Speeding": [
        "Cars speeding past the school at pickup, need a crossing guard.",
        "Stop sign knocked down at the intersection, dangerous.",
        "Drag racing every night after midnight.",
    ],
    "Parking Violation": [
        "Car blocking the hydrant every night, plate {plate}.",
        "Truck parked on the sidewalk, wheelchair can't get by.",
        "Someone parks across my driveway daily. Call me {phone}.",
    ],
    "Sidewalk Repair": [
        "Sidewalk heaved up by tree roots, my neighbor tripped.",
        "Broken sidewalk, big gap, someone will fall.",
        "Curb ramp crumbling, not ADA accessible.",
    ],
    "Trash/Recycling": [
        "Trash not picked up for 2 weeks.",
        "Recycling missed again on our street.",
        "Overflowing public trash can at the park entrance.",
    ],
}


def write_service_requests(g: Gen, out: Path, polys: dict[str, list[tuple[float, float]]]) -> None:
    r = g.rng
    rows = []
    for _ in range(150):
        hood = r.choice(HOODS)
        cat = r.choice(sorted(SR))
        when = g.when(r.choice([9, 10]), start_hour=5, end_hour=23)
        desc = r.choice(SR[cat]).format(**g.slots(hood))
        if r.random() < 0.35:
            desc = f"Near {r.choice(hood.places)}. " + desc
        if r.random() < 0.15:
            desc = g.roughen(desc)
        lat, lon = random_point(g, polys[hood.id])
        address = f"{r.randint(2, 480)} {r.choice(hood.streets)}, Port Alder, ME"
        status = r.choice(["Open", "Acknowledged", "Closed", "Closed", "Archived"])
        rows.append([when, cat, status, address, lat, lon, desc])
    rows.sort(key=lambda x: x[0])
    out_rows = []
    for k, (when, cat, status, address, lat, lon, desc) in enumerate(rows):
        lat_s, lon_s = f"{lat:.6f}", f"{lon:.6f}"
        if k in (14, 77, 121):
            lat_s = lon_s = ""  # no location
        if k == 98:
            lat_s, lon_s = "43.801220", "-70.048310"  # outside the city (out in the bay)
        if k == 60:
            desc = ""
        if k == 33:
            desc = (
                "Blue Honda Civic plate 7KXR221 has been parked in the bike lane for 3 days. "
                "Owner lives at 41 Vaughan Street I think. My number is (207) 555-0131."
            )
        when_s = f"{when:%m/%d/%Y} - {when:%I:%M%p}"
        out_rows.append(
            [f"SR-{2026}{10000 + 7 * k}", cat, status, when_s, address, lat_s, lon_s, desc]
        )
    write_csv(
        out / "reports" / "service_requests_2026.csv",
        [
            "Request ID",
            "Category",
            "Status",
            "Created Date",
            "Address",
            "Latitude",
            "Longitude",
            "Description",
        ],
        out_rows,
    )


# --- mappings ----------------------------------------------------------------------------------

MAPPINGS = {
    "survey_csv.yaml": f"""# Community survey, CSV export (survey/community_survey_2026.csv)
id_column: Response ID
date_column: Submitted On
neighborhood_column: Which neighborhood do you live in?
zip_column: ZIP code
author_column: Respondent email
text_columns:
  - "{Q3}"
  - "{Q4}"
  - "{Q6}"
extra_columns: [{", ".join(CHECKS)}]
""",
    "survey_xlsx.yaml": """# Community survey, XLSX export (survey/community_survey_2026.xlsx)
# Header names as the reader sees them (surrounding whitespace stripped).
sheet: Responses
id_column: Response ID
date_column: Submitted On (Eastern Time)
neighborhood_column: Neighborhood
zip_column: Zip / Postal Code
author_column: Email (optional)
text_columns:
  - "Q3 - What is the ONE issue that most affects your safety?"
  - "Q4 - Changes noticed in the past month (please describe)"
  - "Q6 - Anything else? (optional)"
extra_columns: ["Q5 - Speeding", "Q5 - Drugs", "Q5 - Break-ins", "Q5 - Noise", "Q5 - Lighting",
  "Q5 - Other"]
""",
    "facebook.yaml": """# Facebook page comments export (Graph API style JSON)
records_path: data
text_columns: [message]
id_column: id
date_column: created_time
author_column: from.name
reaction_column: reactions.total
extra_columns: [type, parent_id]
""",
    "nextdoor.yaml": """# Nextdoor export, one JSON object per line; posted_at: epoch seconds
text_columns: [body]
id_column: post_id
date_column: posted_at
author_column: author
neighborhood_column: neighborhood
extra_columns: [category, reply_count]
""",
    "twitter.yaml": """# Twitter/X export as CSV; created_at like 'Thu Oct 08 21:04:11 +0000 2026'
text_columns: [text]
id_column: tweet_id
date_column: created_at
date_format: "%a %b %d %H:%M:%S %z %Y"
author_column: username
extra_columns: [likes, retweets]
""",
    "service_requests.yaml": """# 311 / SeeClickFix-style export; dates like '10/03/2026 - 08:15AM'
text_columns: [Description]
id_column: Request ID
date_column: Created Date
date_format: "%m/%d/%Y - %I:%M%p"
lat_column: Latitude
lon_column: Longitude
extra_columns: [Category, Status]
""",
}


def write_mappings(out: Path) -> None:
    for name, text in MAPPINGS.items():
        write_text(out / "mappings" / name, text)


# --- main --------------------------------------------------------------------------------------


def generate(out: Path) -> list[Path]:
    """Write every sample file under ``out``; return their paths (sorted). Same bytes every run."""
    g = Gen(SEED)
    polys = _polygons(g)
    write_gazetteer(out, polys)
    write_surveys(g, out)
    write_minutes_md(g, out)
    write_listening_docx(g, out)
    write_captions(g, out)
    write_office_hours(g, out)
    write_facebook(g, out)
    write_nextdoor(g, out)
    write_twitter(g, out)
    write_service_requests(g, out, polys)
    write_mappings(out)
    return sorted(p for p in out.rglob("*") if p.is_file() and p.name != "README.md")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[1] / "sample_data"
    parser.add_argument("--out", type=Path, default=default, help=f"output folder ({default})")
    args = parser.parse_args(argv)
    files = generate(args.out)
    total = sum(p.stat().st_size for p in files)
    print(f"wrote {len(files)} files, {total / 1024:.0f} KiB, under {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
