"""Answers a Home Office QA letter gives to a review's national recommendations.

Older letters (the 2014 sample) answer the national recommendations in their text: "Action three
will be communicated to Ministry of Justice colleagues...", "On actions five, six, and eight
regarding...". Each such paragraph is an answer; the actions or recommendations it names by
number are the ones it probably answers. The coordinator confirms which answer goes with which
recommendation before anything is recorded (`recommendations.services.national_answers_record`).

Kept apart from `parser.py` (dates, outcome and points): it reads the same text for another
purpose, and nothing here changes what the parser proposes.
"""

import re
from dataclasses import dataclass

WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
}
_NUMBER = r"(?:\d{1,3}|" + "|".join(WORDS) + r")"
# "Action three", "actions five, six, and eight", "Recommendations 2 to 4".
_MENTION = re.compile(
    rf"\b(?:actions?|recommendations?)\s+(?P<numbers>{_NUMBER}(?:\s*(?:,\s*and|,|and|&|to|-)\s*"
    rf"{_NUMBER})*)",
    re.IGNORECASE,
)
# What makes a paragraph about national recommendations: the word, or a national body.
_NATIONAL = re.compile(
    r"\bnational(?:ly)?\b|Ministry of|Department (?:of|for)|NHS England|College of Policing|"
    r"Police Chiefs|HM Prison|Crown Prosecution|Domestic Abuse Commissioner|"
    r"Home Office(?!\s+(?:Quality|QA))",
    re.IGNORECASE,
)
# A list item (a point to address, not an answer): a bullet, "1.", "(4)", "b)".
_LIST_ITEM = re.compile(r"^\s*(?:[-\u2022*]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+", re.IGNORECASE)


@dataclass(frozen=True)
class NationalAnswer:
    text: str  # the paragraph, its lines rejoined
    numbers: tuple[int, ...]  # the actions or recommendations it names one by one


def _value(token: str) -> int:
    token = token.lower()
    return int(token) if token.isdigit() else WORDS[token]


def _numbers(text: str) -> tuple[int, ...]:
    """The numbers named one by one ("action three", "actions five, six, and eight"); a range
    ("actions three to eight") lists what is national, not what a paragraph answers, so its
    numbers are left out."""
    found: list[int] = []
    for mention in _MENTION.finditer(text):
        numbers = mention["numbers"]
        if re.search(r"\s(?:to|-)\s|\d-\d", numbers):
            continue
        for token in re.findall(_NUMBER, numbers, re.IGNORECASE):
            value = _value(token)
            if value not in found:
                found.append(value)
    return tuple(found)


def _paragraphs(text: str) -> list[str]:
    chunks = re.split(r"\n\s*\n", text.replace("\f", "\n\n").replace("\r\n", "\n"))
    return [
        " ".join(line.strip() for line in chunk.split("\n") if line.strip()) for chunk in chunks
    ]


def national_answers(text: str) -> list[NationalAnswer]:
    """The letter's paragraphs that answer national recommendations, in the letter's order:
    a paragraph (not a listed point) naming an action or recommendation by number and speaking
    of national relevance or of a national body."""
    answers = []
    for paragraph in _paragraphs(text):
        if not paragraph or _LIST_ITEM.match(paragraph) or not _NATIONAL.search(paragraph):
            continue
        numbers = _numbers(paragraph)
        if numbers or _MENTION.search(paragraph):
            answers.append(NationalAnswer(paragraph, numbers))
    return answers
