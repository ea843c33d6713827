"""Fictional chronologies for the tests and the benchmark: twelve agencies, made-up people and
events, and a known share of events that a second agency also reports in its own words."""

import random
from datetime import date, timedelta

from dhr.tests.workbooks import xlsx_of
from reviews.chronology import COLUMNS

AGENCIES = [
    "Northvale Police", "Northvale Integrated Care Board", "Northvale Homes",
    "Probation Service (Northvale)", "Northvale Children's Services",
    "Northvale Adult Social Care", "Safe Haven Domestic Abuse Service",
    "Northvale Hospitals NHS Trust", "Northvale Ambulance Service", "Greenfield GP Practice",
    "Northvale Drug and Alcohol Service", "Northvale Schools",
]  # fmt: skip
PEOPLE = ["Anna", "Ben (partner)", "Chloe (daughter)", "Dev (son)", "Ella (mother of Anna)"]
PLACES = ["the home", "the flat", "the clinic", "the school", "the office", "the hostel"]
ACTS = [
    "attended", "phoned", "visited", "assessed", "referred", "wrote to", "met", "reviewed",
]  # fmt: skip
TOPICS = [
    "housing repair", "repeat prescription", "school attendance", "rent arrears", "injury",
    "a 999 call", "a MARAC referral", "a DASH risk assessment", "probation supervision",
    "alcohol use", "a missed appointment", "a safety plan", "a child protection plan",
]  # fmt: skip
START = date(2019, 1, 1)


def chronology_rows(
    count: int = 5000, *, agencies: int = 12, seed: int = 1, echo_every: int = 25
) -> dict[str, list[list[str]]]:
    """`count` fictional rows in the template's column order, spread over `agencies` agencies
    and about four years, as each agency's file would hold them (text dates and times, the
    agency column left blank). Every `echo_every`-th event is also reported by the next agency,
    the same day and reworded slightly: a duplicate `chronology.duplicates` should find."""
    rng = random.Random(seed)
    names = AGENCIES[:agencies]
    files: dict[str, list[list[str]]] = {name: [] for name in names}
    made = 0
    for n in range(count):
        agency = names[n % agencies]
        day = START + timedelta(days=rng.randrange(1500))
        at = "" if rng.random() < 0.3 else f"{rng.randrange(24):02d}:{rng.randrange(60):02d}"
        event = (
            f"{rng.choice(['Worker', 'Officer', 'Nurse', 'Adviser'])} {rng.choice(ACTS)} "
            f"{rng.choice(PLACES)} about {rng.choice(TOPICS)}, case {n}"
        )
        who = ", ".join(rng.sample(PEOPLE, rng.randint(1, 3)))
        files[agency].append([f"{day:%d/%m/%Y}", at, "", f"Case notes, ref {n}", event, who, ""])
        made += 1
        if echo_every and n % echo_every == 0 and made < count:
            other = names[(n + 1) % agencies]
            files[other].append(
                [f"{day:%d/%m/%Y}", "", "", "Referral record", f"Noted: {event}.", who, ""]
            )
            made += 1
        if made >= count:
            break
    return files


def xlsx_file(rows: list[list[str]]) -> bytes:
    """An agency's file as the template would be filled in: the header row, then the rows."""
    return xlsx_of([[header for _, header, _ in COLUMNS], *rows], sheet="Chronology")
