"""The anonymity check: the bundle's text, page by page, searched for what must never be
published: the real names of the victim and the perpetrator (in full, and each name on its own),
their dates of birth, the date of death in every common form ("3 March 2019", "3rd March 2019",
"03/03/2019", "2019-03-03", "March 3, 2019", "3 Mar 2019"), and the terms the coordinator added
(other real names, addresses). Each finding says the page, the part and the words around it."""

import re
from dataclasses import dataclass
from datetime import date

from qa_feedback.parser import dates_in
from reviews.models import Review

MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip
CONTEXT = 60  # characters either side of a finding
# Words of a recorded name that are not a name ("Fictional Victim", "Mrs"): not sought alone.
NOT_NAMES = {
    "victim", "perpetrator", "fictional", "unknown", "not", "known", "name", "mr", "mrs", "ms",
    "miss", "dr", "the", "and", "von", "van", "de", "la", "le", "da", "del",
}  # fmt: skip


@dataclass(frozen=True)
class Sought:
    what: str  # "The victim's real name"
    value: str  # the confidential value as recorded
    pattern: re.Pattern


@dataclass(frozen=True)
class Found:
    what: str
    value: str
    found: str
    page: int  # from 1
    part: str
    context: str


def date_pattern(day: date) -> re.Pattern:
    """Every common way of writing this date."""
    d, m, y = day.day, day.month, day.year
    month = MONTHS[m - 1]
    september = r"|Sept\.?" if m == 9 else ""
    months = rf"(?:{month}|{month[:3]}\.?{september})"
    day_ = rf"0?{d}(?:st|nd|rd|th)?"
    forms = [
        rf"{day_}\s+(?:of\s+)?{months},?\s+{y}",
        rf"{months}\s+{day_},?\s+{y}",
        rf"0?{d}\s*[/.\-]\s*0?{m}\s*[/.\-]\s*(?:{y}|{y % 100:02d})",
        rf"{y}\s*-\s*0?{m}\s*-\s*0?{d}",
    ]
    return re.compile(rf"(?<![\w/.\-])(?:{'|'.join(forms)})(?![\w/\-]|\.\d)", re.I)


def text_pattern(value: str) -> re.Pattern:
    """A value whose words may be split by any spacing or a line break, in any case."""
    words = [re.escape(word) for word in value.split()]
    return re.compile(r"(?<!\w)" + r"[\s\-]+".join(words) + r"(?!\w)", re.I)


def sought_for(review: Review, extra_terms=()) -> list[Sought]:
    """What to look for in this review's published text."""
    pseudonyms = {
        name.lower() for name in (review.victim_pseudonym, review.perpetrator_pseudonym) if name
    }
    sought: list[Sought] = []
    for what, name in (
        ("The victim's real name", review.victim_name),
        ("The perpetrator's real name", review.perpetrator_name),
    ):
        name = (name or "").strip()
        if not name:
            continue
        sought.append(Sought(what, name, text_pattern(name)))
        words = [w for w in re.split(r"[\s\-]+", name) if len(w) >= 3]
        if len(words) > 1:  # each name on its own, unless it is also the pseudonym
            for word in words:
                if word.lower() not in pseudonyms | NOT_NAMES:
                    sought.append(Sought(f"{what} (in part)", word, text_pattern(word)))
    for what, day in (
        ("The date of death", review.date_of_death),
        ("The victim's date of birth", review.victim_date_of_birth),
        ("The perpetrator's date of birth", review.perpetrator_date_of_birth),
    ):
        if day:
            sought.append(Sought(what, f"{day:%-d %B %Y}", date_pattern(day)))
    for term in extra_terms:
        value = term.value.strip()
        if value:
            pattern = text_pattern(value)
            if term.kind == "date":
                parsed = _as_date(value)
                pattern = date_pattern(parsed) if parsed else pattern
            sought.append(Sought(term.get_kind_display(), value, pattern))
    return sought


def _as_date(value: str) -> date | None:
    found = dates_in(value)
    return found[0][1] if found else None


def find(page_texts: list[str], page_parts: list[str], sought: list[Sought]) -> list[Found]:
    """Every place a sought value appears, page by page; a value found inside a longer one
    found at the same place (a surname within the full name) is reported once."""
    findings: list[Found] = []
    for number, text in enumerate(page_texts, start=1):
        flat = re.sub(r"\s+", " ", text)
        spans: list[tuple[int, int]] = []
        for item in sorted(sought, key=lambda s: len(s.value), reverse=True):
            for match in item.pattern.finditer(flat):
                if any(start <= match.start() and match.end() <= end for start, end in spans):
                    continue
                spans.append((match.start(), match.end()))
                before = flat[max(0, match.start() - CONTEXT) : match.start()]
                after = flat[match.end() : match.end() + CONTEXT]
                findings.append(
                    Found(
                        item.what,
                        item.value,
                        match.group(0),
                        number,
                        page_parts[number - 1] if number <= len(page_parts) else "",
                        f"{'...' if match.start() > CONTEXT else ''}{before}[{match.group(0)}]"
                        f"{after}{'...' if match.end() + CONTEXT < len(flat) else ''}",
                    )
                )
    return findings
