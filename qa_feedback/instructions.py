"""Who takes each publication step a QA letter names: the partnership, or the Home Office itself.

The parser (`parser.requirements_of`) finds the steps a letter names. Naming a step is not
always asking the partnership to take it: letters of around 2020 end by saying the Home Office
copies the letter to the area's Police and Crime Commissioner ("cc: ... PCC", "We will share
this letter with the Police and Crime Commissioner"). Such a step is the Home Office's: the
checklist shows it as theirs, not as something the partnership ticks. A step the letter asks the
partnership for ("Please also send a copy to ..."), or merely names, stays the partnership's.
See docs/decisions/0014-publication-checklist.md.
"""

import re
from dataclasses import dataclass

from qa_feedback.models import ChecklistItem
from qa_feedback.parser import clean, squash

# The only step a letter has been seen to take on itself; the others (the web link, the
# Commissioner's copy, the annexes, the PDF) are always the partnership's, whatever the wording.
HOME_OFFICE_MAY_TAKE = {
    ChecklistItem.PCC: re.compile(r"police\s+and\s+crime\s+commissioner|\bpcc\b", re.I),
}
# "cc: Police and Crime Commissioner for ...", "Copy to: ...", "Copied to ..."
_CC_LINE = re.compile(r"^\s*(?:cc|c\.c\.|copy\s+to|copies\s+to|copied\s+to)\b", re.I)
# "We will copy / I am copying / The Home Office will also share ... with/to ..."
_HOME_OFFICE_DOES = re.compile(
    r"\b(?:we|i|the\s+home\s+office|the\s+(?:qa\s+)?panel)\s+(?:will|shall|have|has|am|are|"
    r"would)\s+(?:also\s+)?(?:be\s+)?(?:copy|copied|copying|share|shared|sharing|send|sent|"
    r"sending|forward|forwarded|forwarding)\b",
    re.I,
)
_ASKS_PARTNERSHIP = re.compile(
    r"\b(?:please|you\s+(?:should|must|will\s+need|may\s+wish)|ensure|we\s+would\s+be\s+grateful"
    r"|would\s+be\s+grateful\s+if\s+you)\b",
    re.I,
)


@dataclass(frozen=True)
class Whose:
    partnership: list[str]  # `ChecklistItem` values, in the checklist's order
    home_office: list[str]


def _sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.!?])\s+", squash(text))


def _home_office_takes(text: str, pattern: re.Pattern) -> bool:
    lines = clean(text).splitlines()
    if any(_CC_LINE.search(line) and pattern.search(line) for line in lines):
        return True
    return any(
        pattern.search(sentence)
        and _HOME_OFFICE_DOES.search(sentence)
        and not _ASKS_PARTNERSHIP.search(sentence)
        for sentence in _sentences(clean(text))
    )


def whose_steps(text: str, named: list[str]) -> Whose:
    """Split the steps the letter names (`named`, as the parser found them) into the
    partnership's and the Home Office's, reading the letter's whole text (its "cc" lines
    included, which come after the signature)."""
    home_office = [
        item
        for item, pattern in HOME_OFFICE_MAY_TAKE.items()
        if item in named and _home_office_takes(text, pattern)
    ]
    # A "cc" line after the signature is not in the text the parser reads for steps.
    for item, pattern in HOME_OFFICE_MAY_TAKE.items():
        if item not in home_office and _home_office_takes(text, pattern):
            home_office.append(item)
    order = list(ChecklistItem.values)
    return Whose(
        partnership=sorted((i for i in named if i not in home_office), key=order.index),
        home_office=sorted(home_office, key=order.index),
    )
