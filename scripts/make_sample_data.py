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
import unicodedata
import zipfile
from collections.abc import Callable
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
# A comment is composed from parts: an optional opening, one concern-specific core sentence, an
# optional further detail, an optional request or closing in one register (complaint, request,
# question, sarcasm), then sometimes roughed up (ALL CAPS, typos, emoji, lower case). Slots:
# {street} {street2} {place} {hood} {num} {n} {big} {since} {time} {day} {vehicle} {money}
# {person} {officer} {badge} {plate} {phone} {url} {co} (the community officer) {street_uc}.
# Gen.unique() rejects a text equal or too similar to one already written, so no two residents
# say the same thing (the deliberate duplicates and the campaign are added separately).

TOPICS: dict[str, dict[str, list[str]]] = {
    "speeding": {
        "core": [
            "Cars fly down {street} every morning at school drop-off.",
            "speeding on {street} is out of control, people doing {speed} in a 25",
            "Can we get a crosswalk by {place}? Nobody stops for kids crossing {street}.",
            "The stop sign at {street} and {street2} is basically decoration at this point.",
            "Drag racing on {street} {time} again, {day}.",
            "I've asked for a speed trailer on {street} {n} times through 311 and heard nothing.",
            "Somebody clocked a car at {speed} on {street} right past {place}.",
            "Trucks cut through {street} to skip the lights on {street2} and they don't slow "
            "down for anyone.",
            "{person} nearly got clipped in the crosswalk at {street} and {street2} {day}.",
            "There's no safe way to cross {street} near {place} with a stroller.",
            "People run the red at {street} and {street2} constantly, I see it {time}.",
        ],
        "more": [
            "Someone is going to get killed.",
            "There are little kids on this block.",
            "It's worse since they repaved it.",
            "I counted {big} cars over the limit in ten minutes.",
            "The school zone sign is faded and half hidden by a tree.",
            "My mirror got taken off by one of them {since}.",
        ],
        "ask": [
            "We need speed bumps or a camera, not another study.",
            "Please put a speed table in before school starts again.",
            "A flashing sign would help.",
            "Can traffic engineering come look at it?",
            "Enforcement during drop-off would go a long way.",
        ],
    },
    "dirt_bikes": {
        "core": [
            "Dirt bikes and ATVs tearing through {place} {time}, no helmets.",
            "DIRT BIKES AGAIN ON {street_uc}",
            "The dirt bike crew was doing laps around {place} for {n} hours {day}.",
            "Almost got hit by a kid on a dirt bike on the sidewalk on {street}.",
            "A pack of about {n} dirt bikes came down {street} doing wheelies {time}.",
            "Dirt bikes are tearing up the grass at {place}, {since}.",
            "{person} had to jump out of the way of an ATV on {street}.",
        ],
        "more": [
            "Cops just watch them go by.",
            "It sounds like a chainsaw convention.",
            "I was pushing a stroller.",
            "They cut through the park path where the little kids ride bikes.",
            "They store the bikes somewhere near {street2}, everyone knows it.",
        ],
        "ask": [
            "Where is the enforcement?",
            "Can someone at least figure out where they keep the bikes?",
            "Please do something before somebody gets hurt.",
        ],
    },
    "break_ins": {
        "core": [
            "My car was broken into on {street} {day}, window smashed, they took my {item}.",
            "Someone is going car to car on {street} checking door handles {time}, caught it "
            "on my camera.",
            "Our garage at {num} {street} got broken into and the {item} is gone.",
            "Package thefts on {street} are nonstop, {n} packages gone off my porch {since}.",
            "{n} cars broken into on our block of {street} {since}.",
            "They smashed the back window of my {vehicle} outside {place} and took {item}.",
            "Somebody tried our front door at {num} {street} {time}.",
            "Break-ins near {place} are way up, {since} it's been every week.",
        ],
        "more": [
            "Filed a report, never heard back.",
            "Lock your cars people.",
            "The officer said there wasn't much they could do.",
            "Third time this year for us.",
            "Glass everywhere on the sidewalk in the morning.",
            "Case number {num}-{n}, if anyone from PD reads this.",
        ],
        "ask": [
            "Can we get more patrols overnight?",
            "Anyone else on {street} have camera footage?",
            "Please follow up on reports, even small ones.",
            "Would love a call back from a detective.",
        ],
    },
    "catalytic": {
        "core": [
            "Catalytic converter stolen off my {vehicle} near {place}, {money} to fix.",
            "Second catalytic converter theft on {street} this month.",
            "Catalytic converter thieves hit the lot behind {place} {day}.",
            "They cut the cat off my neighbor's {vehicle} on {street} {day}.",
            "Heads up {hood}, catalytic converter thefts on {street} again.",
        ],
        "more": [
            "{vehicle_uc} with plate {plate} drove off toward {street2}.",
            "They were under the car in 90 seconds.",
            "Partial plate {plate}, silver pickup.",
            "The insurance deductible alone is {money}.",
            "Heard the saw, by the time I got outside they were gone.",
        ],
        "ask": [
            "Is anyone tracking these?",
            "Park in your garage if you have one.",
            "Please get the plate checked.",
        ],
    },
    "drugs": {
        "core": [
            "Open drug dealing at the corner of {street} and {street2}, all day.",
            "There is a house on {street} with cars pulling up for 2 minutes and leaving "
            "{time}.",
            "Found an overdose behind {place} {day}, narcan saved him.",
            "People are using in the stairwell of the garage off {street}.",
            "Dealing out in the open at {place}, right by where kids wait for the bus.",
            "Same {n} guys selling on {street} {time}, everyone knows it.",
        ],
        "more": [
            "Nothing happens.",
            "This is every week now.",
            "I've called it in {n} times.",
            "My kids walk past there to school.",
            "I'm not calling for arrests, but we need treatment options.",
        ],
        "ask": [
            "Can outreach workers come by?",
            "Please send someone who isn't just going to move them a block over.",
            "Who do we talk to about this?",
        ],
    },
    "needles": {
        "core": [
            "Needles all over the ground at {place}.",
            "Found {n} syringes by the benches in {place} {day}.",
            "Sharps container at {place} is overflowing and there are needles in the mulch.",
            "{person} almost picked up a needle near {place}.",
            "Used needles on the sidewalk on {street} by the bus stop.",
        ],
        "more": [
            "Reported to 311, still there {n} days later.",
            "My daughter almost picked one up.",
            "The kids play right there.",
            "Parks picked some up but they're back.",
        ],
        "ask": [
            "Who is supposed to clean this??",
            "Please check it daily, not once a month.",
            "Can we get another sharps box there?",
        ],
    },
    "encampments": {
        "core": [
            "The encampment along {place} has doubled {since}.",
            "Tents under the bridge near {street} again.",
            "Someone has been sleeping in the doorway of my shop on {street}.",
            "There are about {big} tents now behind {place}.",
            "People sleeping in the bus shelter on {street} every night, it's getting cold.",
        ],
        "more": [
            "These are our neighbors, they need somewhere to go.",
            "The trail is not safe to walk anymore.",
            "I don't want anyone arrested, I want them housed.",
            "There was a fire {time} last week.",
            "Trash is piling up around it.",
        ],
        "ask": [
            "Please send outreach workers, not just a sweep.",
            "We need more shelter beds, period.",
            "Is the city doing anything besides moving people around?",
        ],
    },
    "noise": {
        "core": [
            "Fireworks near {place} {time}, {since}.",
            "Loud music from the house at {num} {street} until 3am every weekend.",
            "Car stereos booming on {street} {time}, you can feel it in the windows.",
            "Gunshots or fireworks? Honestly can't tell anymore around {place}.",
            "Party at {num} {street} {day}, {big} people in the yard until 4.",
            "Motorcycles revving on {street} {time}.",
        ],
        "more": [
            "My dog is a wreck and so am I.",
            "Called the non emergency line {n} times.",
            "I work at 6am.",
            "There's a newborn next door.",
        ],
        "ask": [
            "Does the noise ordinance mean anything?",
            "Please enforce quiet hours.",
            "Can someone actually come out when we call?",
        ],
    },
    "lights": {
        "core": [
            "Street lights out on {street} between {street2} and {place} {since}.",
            "The light at the entrance to {place} has been broken {since}.",
            "Half the lights on {street} are out.",
            "{n} street lights in a row out on {street}, it's pitch black.",
            "The light over the crosswalk by {place} flickers all night.",
        ],
        "more": [
            "Feels unsafe, especially for older folks.",
            "Reported it twice.",
            "I walk home from the bus {time}.",
            "Somebody got mugged there {day}.",
        ],
        "ask": [
            "Who do I call, the city or the power company?",
            "Please fix the lights, it's a simple thing.",
            "Can they at least put a temporary one up?",
        ],
    },
    "potholes": {
        "core": [
            "The pothole on {street} in front of {place} ate my tire, {money}.",
            "Potholes on {street} are so bad people swerve into oncoming traffic.",
            "Sidewalk on {street} is heaved up by tree roots, {person} tripped.",
            "There's a crater at {street} and {street2} that's been there {since}.",
            "Bike lane on {street} is all potholes, I ride in traffic now.",
        ],
        "more": [
            "Thanks Port Alder.",
            "It fills with water and you can't see how deep it is.",
            "The patch they did lasted a week.",
            "It's a wheelchair hazard.",
        ],
        "ask": [
            "Please fix it before winter.",
            "Can public works come take a look?",
        ],
    },
    "response": {
        "core": [
            "Called 911 about a fight outside {place} and it took {big} minutes for anyone to "
            "show up.",
            "Police response times in {hood} are terrible.",
            "Why does it take {n} hours to get an officer for a hit and run?",
            "We never see patrols in {hood} anymore unless something already happened.",
            "Waited over an hour after our break in on {street}.",
            "Called about a prowler on {street} {time}, nobody came until morning.",
        ],
        "more": [
            "I was told they were short staffed again.",
            "By then the guy was long gone.",
            "Not blaming the officers, there just aren't enough of them.",
            "The dispatcher was kind but nobody showed.",
        ],
        "ask": [
            "Would love to see officers walking {street} and actually talking to people.",
            "Fill the vacancies or tell us what the plan is.",
            "Can we get a community officer for {hood}?",
        ],
    },
    "rude": {
        "core": [
            "{officer} (badge {badge}) was rude to me when I reported my stolen bike.",
            "The officer who came to my door was dismissive and condescending, badge {badge}.",
            "My son was stopped on {street} for matching a description for the {nth} time "
            "this year.",
            "{officer}, badge {badge}, told me to just close my windows.",
            "An officer yelled at {person} outside {place} for asking a question.",
        ],
        "more": [
            "It keeps happening to people I know.",
            "Told me it was my own fault and walked away.",
            "I've never been treated like that.",
            "I was the one calling for help.",
        ],
        "ask": [
            "I want to file a complaint, who do I call?",
            "Is there a civilian review board or not?",
            "Someone should look at the body cam.",
        ],
    },
    "praise": {
        "core": [
            "Shout out to {co}, he knows every kid at {place} by name.",
            "{co} helped {person} after a fall and checked in the next day.",
            "Thank you to the officers who responded so fast on {street} {day}.",
            "The coffee with a cop at {place} was great, felt heard for once.",
            "Whoever fixed the lights on {street}, thank you!",
            "Big thanks to the outreach team at {place}, they actually listen.",
            "Officers stopped by the block party on {street} and played basketball with the "
            "kids.",
        ],
        "more": [
            "That's community policing.",
            "Professional and kind.",
            "More of this please.",
            "Made my week.",
        ],
        "ask": [
            "Keep it up!",
            "Please keep this going.",
            "Fund the community policing unit next year.",
        ],
    },
    "youth": {
        "core": [
            "The kids have nothing to do since they cut hours at {place}.",
            "Please bring back the summer basketball league at {place}.",
            "More youth programs, fewer arrests.",
            "Teenagers hanging out at {place} aren't a crime.",
            "The rec center closes at 6, so where are teenagers supposed to go?",
            "{n} teens from {hood} are on the waitlist for the after school program.",
        ],
        "more": [
            "Of course they're getting into trouble.",
            "It kept teenagers busy and safe.",
            "Stop calling the cops on kids for existing.",
            "Jobs for teens would do more than patrols.",
        ],
        "ask": [
            "Fund the rec center.",
            "Keep the gym open until 9 on school nights.",
            "Hire a couple of youth workers, it's cheaper than a cruiser.",
        ],
    },
    "rent": {
        "core": [
            "Rent on my apartment went up {money} this year.",
            "The landlord at {num} {street} hasn't fixed the front door lock {since}.",
            "Vacant building on {street} with broken windows, people going in and out at night.",
            "{n} families on my floor moved out after the rent increase.",
            "Our building on {street} was sold and everyone got a 30 day notice.",
        ],
        "more": [
            "Nobody talks about that as a safety issue but it is.",
            "Anyone can walk in.",
            "When buildings sit empty, that's when the problems start.",
            "Half my building is moving out.",
        ],
        "ask": [
            "Code enforcement?",
            "Can the city inspect it?",
            "We need rent stabilization.",
        ],
    },
    "dumping": {
        "core": [
            "Someone dumped a mattress and {big} bags of trash behind {place}.",
            "Trash pickup skipped {street} {n} weeks in a row and now there are rats.",
            "Illegal dumping at the end of {street}, looks like a contractor.",
            "Trash piled up under the underpass by {place}, bins overflowing.",
            "Tires dumped in the lot on {street} again, at least {big} of them.",
        ],
        "more": [
            "White box truck, plate {plate}.",
            "It just feels neglected.",
            "The smell is unreal.",
            "I've reported it {n} times.",
        ],
        "ask": [
            "Can we get a camera there?",
            "Please send a crew.",
            "Fine whoever is doing it.",
        ],
    },
    "parking": {
        "core": [
            "People park on the sidewalk on {street} all the time.",
            "Abandoned car on {street} {since}, no plates, windows smashed.",
            "Somebody blocks my driveway at {num} {street} every Sunday.",
            "Cars parked in front of the hydrant on {street} every night.",
            "A {vehicle} with plate {plate} has been parked in the bike lane on {street} "
            "{since}.",
        ],
        "more": [
            "Wheelchair users have to go in the road.",
            "Towing takes hours.",
            "If there's a fire we're done.",
            "Nobody ever gets a ticket.",
        ],
        "ask": [
            "Can parking enforcement come by at night?",
            "Please tow it.",
        ],
    },
    "questions": {
        "core": [
            "Does anyone know if there's a neighborhood watch in {hood}?",
            "When is the next community meeting for {hood}?",
            "Is there a way to see crime stats for just {hood}? {url}",
            "Who do I call about the street light on {street}?",
            "Is the {place} cleanup still happening this month?",
            "Has anyone heard back about the speed humps on {street}?",
        ],
        "more": [
            "How do I join?",
            "Is it online too?",
            "Couldn't find anything on the city website.",
            "New to the neighborhood, moved here in {month}.",
        ],
        "ask": [],
    },
}
SARCASM = [
    "Oh great, another listening session. Can't wait to be listened to again 🙄",
    "Love how the only police car I see on {street} is at the Dunkin drive thru.",
    "Good to know the city has money for new logos but not for {street}.",
    "Wow, something happened in {hood} again, shocking, truly, never happens.",
    "But sure, let's do another study.",
    "I'm sure the next committee meeting will fix it.",
    "Great job everyone, really.",
    "Can't wait for the press release about how safe we are.",
]
OPENINGS = [
    "Honestly,",
    "Ok so",
    "Not sure who to tell but",
    "PSA:",
    "Again:",
    "Lived here {years} years and",
    "Just so the city knows,",
    "For the record,",
    "Not to complain but",
    "As a {hood} resident,",
    "Update:",
    "Hi all,",
    "Ugh.",
    "So,",
    "Real talk:",
    "Heads up neighbors,",
    "Sorry to be that person but",
    "Third time posting about this.",
]
CLOSINGS = [
    "Fed up.",
    "This is ridiculous.",
    "Thanks for reading.",
    "Just venting.",
    "Anyone else?",
    "Is anyone at the city even reading these?",
    "Who do I even call about this?",
    "Not okay.",
    "Do better Port Alder.",
    "Thank you!",
    "Please help.",
    "We deserve better.",
]
ITEMS = ["laptop bag", "work tools", "kid's car seat", "sunglasses", "bike", "gym bag", "wallet",
         "loose change", "phone charger", "groceries", "backpack", "snowblower"]
VEHICLES = ["gray sedan", "white pickup", "silver minivan", "black SUV", "blue Civic", "red Jeep",
            "green Subaru", "white box truck", "Prius", "tan Camry"]
PEOPLE = ["my mom", "my neighbor", "an older man", "a kid on a scooter", "my daughter",
          "the mail carrier", "my husband", "a lady with a walker", "my son", "our babysitter"]
SINCES = ["since July", "since August", "for two weeks", "for over a month", "since Labor Day",
          "this month", "since the spring", "for six weeks", "since the summer", "all fall"]
TIMES = ["around 11pm", "after midnight", "at 2:30 in the morning", "right after school",
         "every night", "around 3am", "at dinner time", "before 6am", "around 10 at night",
         "all evening", "at rush hour"]
DAYS = ["last night", "on Sunday", "Saturday night", "this morning", "on Tuesday",
        "over the weekend", "yesterday", "Friday around 9", "last week", "twice this week"]
MONTHS = ["June", "July", "August", "the spring", "May"]
NTH = ["second", "third", "fourth", "fifth"]


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
        self.seen: set[str] = set()  # normalised texts written so far
        self.shingles: list[frozenset[str]] = []  # word bigrams of the longer ones
        self.decks: dict[str, list[object]] = {}

    def draw(self, name: str, pool: list[object]) -> object:
        """Draw from ``pool`` without replacement (a shuffled deck, reshuffled when empty)."""
        deck = self.decks.get(name)
        if not deck:
            deck = list(pool)
            self.rng.shuffle(deck)
            self.decks[name] = deck
        return deck.pop()

    def unique(self, make: Callable[[], str], *, tries: int = 40) -> str:
        """Call ``make`` until it gives a text no earlier text equals or nearly repeats.

        Real residents do not post the same sentence; ingest marks exact copies and texts whose
        word bigrams overlap >= 85% as duplicates, so keep every pair well below that (60%).
        """
        text = make()
        for _ in range(tries):
            if self.fresh(text):
                break
            text = make()
        self.remember(text)
        return text

    def fresh(self, text: str) -> bool:
        key = norm_key(text)
        if key in self.seen:
            return False
        words = key.split()
        if len(words) < 6:
            return True
        mine = frozenset(zip(words, words[1:], strict=False))
        return all(len(mine & o) / len(mine | o) < 0.6 for o in self.shingles)

    def remember(self, text: str) -> None:
        key = norm_key(text)
        self.seen.add(key)
        words = key.split()
        if len(words) >= 6:
            self.shingles.append(frozenset(zip(words, words[1:], strict=False)))

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

    def street(self, name: str) -> str:
        """``Forest Avenue``, ``Forest Ave``, ``Forest Ave.`` or ``forest ave``: as people type."""
        r = self.rng.random()
        short = name.replace(" Avenue", " Ave").replace(" Street", " St").replace(" Lane", " Ln")
        short = short.replace(" Road", " Rd")
        if r < 0.55 or short == name:
            return name
        if r < 0.8:
            return short
        if r < 0.92:
            return short + "."
        return short.lower()

    def slots(self, hood: Hood) -> dict[str, str]:
        r = self.rng
        s1, s2 = r.sample(hood.streets, 2)
        officer, badge = r.choice(OFFICERS)
        name_choice = r.random()
        hood_ref = hood.name if name_choice < 0.6 else r.choice(hood.aliases)
        vehicle = r.choice(VEHICLES)
        return {
            "street": self.street(s1),
            "street2": self.street(s2),
            "street_uc": s1.upper(),
            "place": r.choice(hood.places),
            "hood": hood_ref,
            "name": r.choice(RESIDENTS),
            "officer": officer,
            "badge": badge,
            "phone": self.phone(),
            "plate": self.plate(),
            "num": str(r.randint(3, 480)),
            "n": r.choice(["2", "3", "4", "5", "6", "two", "three", "four", "five"]),
            "big": str(r.randint(10, 45)),
            "speed": str(r.choice([45, 50, 55, 60, 65, 70])),
            "money": f"${r.randint(3, 48) * 50:,}",
            "since": r.choice(SINCES),
            "time": r.choice(TIMES),
            "day": r.choice(DAYS),
            "month": r.choice(MONTHS),
            "nth": r.choice(NTH),
            "years": str(r.randint(3, 45)),
            "item": r.choice(ITEMS),
            "vehicle": vehicle,
            "vehicle_uc": vehicle[0].upper() + vehicle[1:],
            "person": r.choice(PEOPLE),
            "url": r.choice(URLS),
            "co": COMMUNITY_OFFICER,
        }

    def compose(self, hood: Hood, topic: str) -> str:
        """Opening? + core + detail? + request/closing? in one register (see TOPICS)."""
        r = self.rng
        t = TOPICS[topic]
        slots = self.slots(hood)
        register = r.choices(
            ["complaint", "request", "question", "sarcasm", "plain"], [4, 4, 2, 1, 3]
        )[0]
        parts = []
        if r.random() < 0.3:
            parts.append(r.choice(OPENINGS))
        core = r.choice(t["core"])
        parts.append(core)
        if r.random() < 0.55:
            parts.append(r.choice(t["more"]))
        if register == "request" and t["ask"]:
            parts.append(r.choice(t["ask"]))
        elif register == "sarcasm":
            parts.append(r.choice(SARCASM))
        elif register in ("complaint", "question") and r.random() < 0.6:
            parts.append(r.choice(CLOSINGS))
        if len(parts) > 2 and r.random() < 0.2:  # detail first, then the main point
            parts[-2], parts[-1] = parts[-1], parts[-2]
        for k in range(len(parts) - 1):  # "...in a 25" + "There are kids": end the sentence
            if not parts[k].rstrip().endswith((".", "!", "?", ":", ",", "🙄")) and not parts[
                k
            ].endswith(("but", "and", "so")):
                parts[k] += "."
        text = " ".join(parts).format(**slots)
        text = re.sub(r"\s+", " ", text).strip()
        if parts[0] in OPENINGS and parts[0].endswith(("but", "and", "so", ",")):
            i = len(parts[0].format(**slots)) + 1  # lower-case the word after "Honestly,"
            core_is_name = core.startswith("{")
            if not core_is_name and text[i : i + 2] not in ("I ", "I'") and not text[
                i : i + 3
            ].isupper():
                text = text[:i] + text[i].lower() + text[i + 1 :]
        return text

    def comment(self, hood: Hood, *, topic: str | None = None, mess: float = 0.35) -> str:
        """One resident comment about ``hood``, unlike any earlier one, roughed up at ``mess``."""
        r = self.rng

        def make() -> str:
            top = topic or r.choice(sorted(TOPICS))
            text = self.compose(hood, top)
            if r.random() < mess:
                text = self.roughen(text)
            return text

        return self.unique(make)

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


_ADDRESS = re.compile(
    r"\b\d+\s+(?:[A-Za-z.']+\s+){1,3}?(?:street|st|avenue|ave|lane|ln|road|rd|row)\b\.?", re.I
)


def norm_key(text: str) -> str:
    """Casefolded words without punctuation, addresses and numbers masked.

    Ingest compares texts for duplicates after redaction ("missed pickup [ADDRESS]"), so two
    texts that differ only in a house number, phone or plate count as the same here.
    """
    text = _ADDRESS.sub(" address ", text)
    text = re.sub(r"\S*\d\S*", " n ", text)
    words = re.sub(r"[\W_]+", " ", unicodedata.normalize("NFKC", text).casefold()).split()
    return " ".join(words) if words else "".join(text.split())


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
    "More people hanging around {place} {time}.",
    "It's quieter since they fixed the lights on {street}.",
    "More tents by {place}, maybe {big} now.",
    "New speed bumps on {street} helped a lot!",
    "Rent went up again, {n} neighbors on {street} moved out.",
    "More police cars on {street} lately, which is good.",
    "Break ins on {street} are way up {since}.",
    "Less trash around {place} since the new bins.",
    "Things have gotten worse on {street} since the summer.",
    "The corner store at {street} and {street2} closed and now it's a hangout.",
    "Fewer dirt bikes {since}, finally.",
    "Somebody put up cameras on {street}, seems to help.",
    "Lots of new faces, the apartments on {street} filled up.",
    "Needles at {place} again.",
    "The crossing guard at {place} is gone.",
    "Seeing the community officer at {place} more often.",
    "{n} houses on {street} for sale at once.",
    "Construction on {street} has traffic backed up {time}.",
    "Cars going faster on {street} now that it's repaved.",
    "More people sleeping in doorways on {street}.",
    "Park lights at {place} finally fixed!",
    "A shooting near {place} {day}, first one I remember.",
    "The bus stop on {street} got a shelter and a light.",
    "Nothing new, same problems at {place}.",
]
CHANGE_MORE = [
    "", "", "", "Not sure why.", "Hope it lasts.", "Kind of worried.", "Noticed it {day}.",
    "My neighbor says the same.", "Just my impression.", "Hard to say if it's real.",
]
SHORT_ANSWERS = [
    "No real change.", "n/a", "Not really", "idk", "Same as always.", "nothing new",
    "No.", "Hard to say", "-", "not that I noticed", "Nope, same", "N/A - just moved here",
    "not sure", "no changes", "None", "Eh, same old", "Nothing I can think of", "All good here",
    "quiet mostly", "Not much", "about the same",
]
OTHER_ANSWERS = [
    "no", "N/A", "Thanks for asking.", "nope", "-", "Thank you!", "nothing else", "no thanks",
    "That's all.", "Keep doing these surveys", "Please actually read these.", "👍", "nah",
    "That's it", "Nothing to add", "good luck", "🙏",
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
    # a few answers are about somewhere else than where the respondent lives (the field wins)
    q3 = g.comment(r.choice(HOODS) if r.random() < 0.08 else hood, mess=0.3)
    q4 = ""
    if r.random() < 0.8:
        if r.random() < 0.2:
            q4 = g.unique(lambda: str(g.draw("short", SHORT_ANSWERS)), tries=3)
        else:

            def change() -> str:
                text = f"{g.draw('change', CHANGES)} {r.choice(CHANGE_MORE)}".strip()
                return text.format(**g.slots(hood))

            q4 = g.unique(change)
    q6 = g.comment(hood, mess=0.4) if r.random() < 0.45 else ""
    if r.random() < 0.15:
        q6 = g.unique(lambda: str(g.draw("other", [*OTHER_ANSWERS, "call"])), tries=3)
        if q6 == "call":
            q6 = r.choice(["Call me: ", "you can call me at ", "My cell "]) + g.phone()
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
    # neighborhood answers the README names: an alias, a misspelling, an abbreviation, a place
    for k, hood_answer, zip_code in [
        (3, "the Point", "04101"),
        (9, "Harber Point", ""),
        (21, "E. Bayside", "04104"),
        (55, "Near Kennedy Park", ""),
    ]:
        rows[k]["hood"], rows[k]["zip"] = hood_answer, zip_code
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
    lines.extend(_break_in_wave())
    write_text(out / "social" / "nextdoor_2026-10.jsonl", "\n".join(lines) + "\n")


BREAK_INS = [
    "Another car broken into on Commercial Street last night, window smashed and the glovebox emptied.",
    "Third car break-in on our block this month. They took my work laptop from the back seat.",
    "Someone cut the catalytic converter off my Prius overnight near the ferry terminal.",
    "Heads up Harbor Point: two more cars with smashed windows by the marina this morning.",
    "My truck was rummaged through again, doors were locked but they still got in.",
    "Catalytic converter stolen from the van in the Fore Street lot. Police report filed.",
    "Is anyone else getting their cars broken into? Ours was hit twice in October.",
    "Glass all over the sidewalk on Wharf Street again, another vehicle break-in.",
    "They went down the whole row of parked cars on Commercial St trying door handles at 3am.",
    "Our neighbor's SUV had its window smashed and the stereo ripped out. This keeps happening.",
    "Please add patrols near the marina parking, car break-ins every night this week.",
    "Camera caught two guys breaking into cars behind the fish market around 2am.",
    "Fourth break-in on our street since the start of the month, nothing is safe in a car here.",
    "Bike rack and two cars vandalized and broken into overnight near Harbor Point park.",
    "Stolen catalytic converters on three cars at the apartment lot on Fore Street.",
    "Car break-ins are out of control in Harbor Point, window smashed for a bag of gym clothes.",
]


def _break_in_wave() -> list[str]:
    """An October wave of car break-ins in Harbor Point: the spike the sample report shows.

    Its own random stream, so adding it changes no other sample file.
    """
    r = random.Random(20261001)
    names = [
        f"{a} {b}"
        for a in ("Dana", "Luis", "Priya", "Tom", "Ana", "Kim")
        for b in ("Okafor", "Silva", "Nguyen", "Brooks", "Hale", "Dube")
    ]
    r.shuffle(names)
    out = []
    for k, body in enumerate(BREAK_INS):
        out.append(
            json.dumps(
                {
                    "post_id": f"nd-271{100 + k}",
                    "posted_at": _epoch(2026, 10, 8 + k, r.randint(6, 22), r.randint(0, 59)),
                    "author": names[k],
                    "neighborhood": "Harbor Point",
                    "body": body,
                    "reply_count": r.randint(0, 25),
                    "category": "Crime & Safety",
                },
                ensure_ascii=False,
            )
        )
    return out


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

# Many real 311 descriptions are a few words ("street light out"); {where} is a varied location.
SR = {
    "Pothole": [
        "pothole {where}",
        "Pothole",
        "Large pothole in the right lane {where}, about {ft} ft wide.",
        "potholes all along {street} between {street2} and {place}",
        "deep pothole {where}, already popped a tire",
        "Several potholes after the water main work {where}.",
        "big hole in the road {where}",
    ],
    "Street Light Out": [
        "street light out {where}",
        "Street light out.",
        "{n} lights out in a row on {street}, whole block is dark",
        "Light flickering on and off all night, pole #{num}.",
        "streetlight {where} has been out {since}",
        "light out at {place} entrance",
    ],
    "Illegal Dumping": [
        "Mattress and furniture dumped {where}.",
        "Someone dumped construction debris again {where}, white van plate {plate}.",
        "bags of household trash dumped {where}, rats getting into them",
        "tires dumped {where}",
        "couch on the sidewalk {where} {since}",
        "Dumping",
    ],
    "Abandoned Vehicle": [
        "{vehicle} hasn't moved {since}, flat tires, plate {plate}.",
        "Abandoned van with smashed windows, no plates, {where}.",
        "{vehicle} plate {plate} parked {where} {since}.",
        "abandoned car {where}",
        "car with no plates {where}, windows broken",
    ],
    "Graffiti": [
        "Graffiti {where}.",
        "Tagging on the bus shelter and mailbox {where}.",
        "New graffiti on the school fence at {place}, looks gang related?",
        "graffiti on the wall of the underpass by {place}",
        "tags all over the garage doors on {street}",
    ],
    "Noise Complaint": [
        "Loud party at {num} {street} until 3am.",
        "Fireworks {time} {where}.",
        "Construction starting at 5am {where}, neighbor's # is {phone} if you need it.",
        "loud music {where} {time}",
        "dog barking all night at {num} {street}",
        "car alarm going off for {n} hours {where}",
    ],
    "Needles/Sharps": [
        "Needles on the playground at {place} near the swings.",
        "About {big} syringes behind the dumpster {where}. Please send someone ASAP.",
        "Used needles in the mulch by the bench at {place}.",
        "needles {where}",
        "{n} needles on the sidewalk {where}",
        "sharps box full at {place}",
    ],
    "Encampment": [
        "Tents set up along the path at {place}, about {n} now.",
        "Person sleeping in the bus shelter {where} every night, seems unwell, please send "
        "outreach not police.",
        "Encampment growing {where}, trash and fires at night.",
        "tents {where}",
        "camp behind {place} getting bigger {since}",
    ],
    "Traffic/Speeding": [
        "Cars speeding past {place} at pickup, need a crossing guard.",
        "Stop sign knocked down at {street} and {street2}, dangerous.",
        "Drag racing on {street} {time}.",
        "speeding {where}",
        "Need a crosswalk {where}",
        "cars running the stop sign at {street} and {street2}",
    ],
    "Parking Violation": [
        "{vehicle} blocking the hydrant {where}, plate {plate}.",
        "Truck parked on the sidewalk {where}, wheelchair can't get by.",
        "Someone parks across my driveway at {num} {street} daily. Call me {phone}.",
        "car parked in bike lane {where}",
        "blocked driveway {num} {street}",
    ],
    "Sidewalk Repair": [
        "Sidewalk heaved up by tree roots {where}, my neighbor tripped.",
        "Broken sidewalk {where}, big gap, someone will fall.",
        "Curb ramp crumbling at {street} and {street2}, not ADA accessible.",
        "sidewalk broken {where}",
        "trip hazard {where}",
    ],
    "Trash/Recycling": [
        "Trash not picked up on {street} for {n} weeks.",
        "Recycling missed again on {street}.",
        "Overflowing public trash can at {place}.",
        "missed pickup {num} {street}",
        "bins overflowing {where}",
    ],
}
WHERE = [
    "in front of {num} {street}",
    "on {street}",
    "at {street} and {street2}",
    "near {place}",
    "outside {place}",
    "by the bus stop on {street}",
    "on {street} near {street2}",
    "across from {num} {street}",
    "behind {place}",
    "at the corner of {street} and {street2}",
]
SR_MORE = [
    "Reported last week too.",
    "Still there.",
    "Please fix.",
    "Getting worse.",
    "Third report.",
    "It's been {since}.",
    "Thanks",
    "Happened {day}.",
]


def write_service_requests(g: Gen, out: Path, polys: dict[str, list[tuple[float, float]]]) -> None:
    r = g.rng
    rows = []
    for _ in range(150):
        hood = r.choice(HOODS)
        cat = r.choice(sorted(SR))
        when = g.when(r.choice([9, 10]), start_hour=5, end_hour=23)

        def describe(hood: Hood = hood, cat: str = cat) -> str:
            slots = g.slots(hood)
            slots["ft"] = r.choice(["2", "3", "4", "1.5"])
            slots["where"] = r.choice(WHERE).format(**slots)
            desc = r.choice(SR[cat]).format(**slots)
            if r.random() < 0.2:
                desc = f"Near {r.choice(hood.places)}. " + desc
            if r.random() < 0.25:
                sep = " " if desc.endswith((".", "!", "?")) else r.choice([". ", ", ", " - "])
                desc += sep + r.choice(SR_MORE).format(**slots)
            if r.random() < 0.15:
                desc = g.roughen(desc)
            return desc

        desc = g.unique(describe)
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
