"""Reading a Home Office QA Panel letter: its dates, its outcome and the points it asks the
partnership to address before publication, proposed for a coordinator to check.

Real letters vary. The points follow a heading whose wording changed over the years ("Areas for
final development:", "Areas of final development include:", or the older "issues that the Panel
felt might benefit from more detail ... :"), sometimes written as a Markdown heading or in bold.
They are bulleted, numbered, lettered or plain paragraphs; a point may run across a page break
(a form feed, "Page 2 of 3", a repeated OFFICIAL marking or a lone page number), and sub-bullets
belong to the point above them. Nothing here raises on any text, and nothing is lost: every line
ends up in a point, in `other` (the letter around the points) or in `dropped` (page furniture
and sub-bullet markers), which the tests check on arbitrary input.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from qa_feedback.models import Category, ChecklistItem, Outcome

# --- dates --------------------------------------------------------------------------------------

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
DATE_PATTERNS = [
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+(?P<year>\d{{4}})\b", re.I),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+(?P<year>\d{{4}})\b", re.I),
    re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b"),
    # Numeric dates are read the UK way round: day, month, year.
    re.compile(r"(?<![\d.])(?P<day>\d{1,2})[/.](?P<month>\d{1,2})[/.](?P<year>\d{4})\b"),
]


def _to_date(match: re.Match) -> date | None:
    month = match["month"]
    month = int(month) if month.isdigit() else MONTHS[month.lower().rstrip(".")]
    try:
        return date(int(match["year"]), month, int(match["day"]))
    except ValueError:  # 31 February, month 13
        return None


def dates_in(text: str) -> list[tuple[int, date]]:
    """Every whole date written in the text, as (position, date), in order."""
    found = {}
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            value = _to_date(match)
            if value and not any(start <= match.start() < end for start, end, _ in found.values()):
                found[match.start()] = (match.start(), match.end(), value)
    return [(start, value) for start, (_, _, value) in sorted(found.items())]


def date_alone(line: str) -> date | None:
    """The date when a line holds nothing else (a letter's own date), with or without 'Date:'."""
    line = re.sub(r"^\s*(?:date[d]?\s*:?)\s*", "", clean(line), flags=re.I).strip(" ,.")
    found = dates_in(line)
    if len(found) == 1 and len(line) <= 30:
        return found[0][1]
    return None


def labelled_date(lines: list[str]) -> date | None:
    """The date a line gives after 'Date:' among other text; None when no line labels one (a
    date elsewhere above the greeting, in a subject line say, is not the letter's date)."""
    for line in lines:
        for label in re.finditer(r"\bdate[d]?\s*:\s*", clean(line), re.I):
            found = dates_in(clean(line)[label.end() :])
            if found and found[0][0] == 0:
                return found[0][1]
    return None


_PARTIAL = re.compile(
    rf"(?<![\d/.-]){_DAY}\s+(?:of\s+)?{_MONTH}(?!\w)(?!,?\s+\d{{4}}\b)"
    rf"|\b{_MONTH.replace('month', 'month2')}\s+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)\b"
    r"(?!,?\s+\d{4})",
    re.I,
)


def dates_without_year_in(text: str) -> list[tuple[int, int, int]]:
    """Every date written without its year ('on 28th September'), as (position, month, day)."""
    found = []
    for match in _PARTIAL.finditer(text):
        day = int(match["day"] or match["day2"])
        name = (match["month"] or match["month2"]).lower().rstrip(".")
        found.append((match.start(), MONTHS[name], day))
    return found


def in_year_before(month: int, day: int, limit: date | None) -> date | None:
    """A day and month given without a year, in the year that puts it on or before `limit` (the
    letter's date): None without a limit, or when no such day exists (29 February)."""
    if limit is None:
        return None
    for year in (limit.year, limit.year - 1):
        try:
            value = date(year, month, day)
        except ValueError:
            continue
        if value <= limit:
            return value
    return None


# --- lines --------------------------------------------------------------------------------------

_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1|(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?!\w)")
_UNDERSCORE = re.compile(r"(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])")


def clean(text: str) -> str:
    """Text without Markdown marks: backslash escapes, emphasis and heading hashes."""
    text = _ESCAPE.sub(r"\1", text)
    text = re.sub(r"^\s{0,3}#{1,6}\s+", "", text)
    text = re.sub(r"\s+#+\s*$", "", text)
    for _ in range(3):  # nested marks: ***bold italic***
        text = _EMPHASIS.sub(
            lambda m: _unmarked(m, m.group(2) if m.group(2) is not None else m.group(3)), text
        )
    text = _UNDERSCORE.sub(lambda m: _unmarked(m, m.group(1)), text)
    return _STRAY.sub(lambda m: _unmarked(m, ""), text)


_STRAY = re.compile(r"\*\*|__")


def _unmarked(match: re.Match, inner: str) -> str:
    """The marked text without its marks, with a space kept where a mark stood between two words
    ('3**Areas' is two words, as the letter's reader sees it)."""
    text, start, end = match.string, match.start(), match.end()
    before = start > 0 and text[start - 1].isalnum()
    after = end < len(text) and text[end].isalnum()
    if not inner:
        return " " if before and after else ""
    return (
        (" " if before and inner[0].isalnum() else "")
        + inner
        + (" " if after and inner[-1].isalnum() else "")
    )


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


FURNITURE = re.compile(
    r"^(?:page\s+\d{1,3}(?:\s+of\s+\d{1,3})?|\d{1,3}|[-\u2013\u2014]\s*\d{1,3}\s*[-\u2013\u2014]|\d{1,3}\s*/\s*\d{1,3}"
    r"|\[?\s*page\s+break\s*\]?|[-=_*]{3,}|official(?:\s*[-\u2013]?\s*sensitive)?)$",
    re.I,
)


def is_furniture(line: str) -> bool:
    """A page break's leftovers: a page number, 'Page 2 of 3', a rule, a repeated marking."""
    return "\f" in line or bool(FURNITURE.match(clean(line).strip().strip("*_ ")))


_BULLET = "-*•·▪◦‣\u2013\u2014●○■□➢►✓o"
_ROMAN = r"(?:i{1,3}|iv|vi{0,3}|ix|x{1,2}|xi{1,3})"
MARKER = re.compile(
    rf"^(?P<indent>[ \t]*)(?P<marker>[{re.escape(_BULLET)}]|\(?\d{{1,2}}[.)]|\(\d{{1,2}}\)"
    rf"|\(?[a-z][.)]|\([a-z]\)|\(?{_ROMAN}[.)]|\({_ROMAN}\))(?:[ \t]+|$)(?P<rest>.*)$",
    re.I,
)


def marker_kind(marker: str, previous: str | None = None) -> str:
    core = marker.strip("().").lower()
    if core and core in _BULLET.lower():
        return "bullet" if core != "o" or len(marker) == 1 else "letter"
    if core.isdigit():
        return "number"
    if re.fullmatch(_ROMAN, core) and (len(core) > 1 or previous not in (None, "letter")):
        return "roman"
    return "letter"


def list_item(line: str, previous_kind: str | None = None) -> tuple[int, str, str, str] | None:
    """(indent, marker, kind, rest) when the line starts a bulleted or numbered item."""
    match = MARKER.match(_ESCAPE.sub(r"\1", line.replace("\t", "    ")))
    if not match:
        return None
    marker = match["marker"]
    if marker.lower() == "o" and not match["rest"]:
        return None
    rest = match["rest"]
    if marker in "*-" and not rest.strip():
        return None
    return (
        len(match["indent"]),
        marker,
        marker_kind(marker, previous_kind),
        rest,
    )


# --- the points section -------------------------------------------------------------------------

HEADINGS = [
    re.compile(p, re.I)
    for p in (
        r"\bareas?\s+(?:for|of)\s+(?:final\s+|further\s+)?"
        r"(?:development|revision|improvement|amendment|consideration)",
        r"\b(?:might|may|would|could)\s+benefit\s+from\s+(?:more|further|some)\s+"
        r"(?:detail|consideration|work|clarification|revision)",
        r"\b(?:points?|issues?|areas?|matters?|amendments?|changes?)\s+(?:to|for|that)\s+"
        r"(?:address|consider|consideration|amend|revise|be\s+addressed|be\s+considered)",
        r"\b(?:required|requested|suggested|recommended)\s+(?:changes|amendments|revisions)\b",
        r"\bthe\s+following\s+(?:points|issues|areas|amendments|changes|comments|matters"
        r"|observations|revisions)\b",
        r"\bfeedback\s+(?:points|on\s+the\s+report)\b",
    )
]
_SENDING = re.compile(r"\b(send|copy|digital|web\s?link|e-?mail|address(es)?\b(?!ed))", re.I)


def is_heading(line: str, next_is_item: bool) -> bool:
    """A line introducing the points: known wording, ending in ':' or standing as a short
    heading; or, failing that, any line ending in ':' just before a list that is not about
    where to send the report."""
    text = clean(line).strip().strip("*_ ").strip()
    short = len(text.split()) <= 12
    ends_colon = text.endswith(":")
    return any(p.search(text) for p in HEADINGS) and (ends_colon or short or next_is_item)


def is_loose_heading(line: str) -> bool:
    text = clean(line).strip().strip("*_ ").strip()
    return text.endswith(":") and not _SENDING.search(text) and not text.lower().startswith("dear")


_NOT_THEME = re.compile(
    r"\b(?:is|are|was|were|be|been|would|should|could|may|might|will|can|felt|feel|feels|asks?"
    r"|include|includes|including|following|follows|particular|example|such|we|you|i|it"
    r"|they|this|these|please|note|notes|below|panel|dear|sincerely|regards|attention"
    r"|ref|reference|re|subject|date|tel|email|address)\b",
    re.I,
)


def theme_of(line: str) -> str:
    """The theme when a line is a heading over some of the points ('Structure:', 'Language and
    terminology:', a bold 'Family involvement'), else ''. A theme is a few words naming a
    subject, not a sentence ('in particular:', 'The Panel felt:')."""
    raw = _ESCAPE.sub(r"\1", line).strip()
    text = clean(raw).strip().strip("*_ ").strip()
    marked = raw.startswith("#") or re.fullmatch(r"(\*\*|__).+\1:?", raw) is not None
    if not (text.endswith(":") or marked):
        return ""
    name = text.rstrip(":").strip().strip("*_ ").strip()
    words = name.split()
    if not 1 <= len(words) <= 6 or not name[:1].isupper() or any(p.search(name) for p in HEADINGS):
        return ""
    if _NOT_THEME.search(name) or re.search(r"[\d.;,!?()\[\]\"]", name):
        return ""
    return name


CLOSING = re.compile(
    r"^(?:once\b|when\s+(?:complete|these\s+(?:changes|amendments|points))|please\b|we\s+do\s+not\b|we\s+don.t\b"
    r"|i\s+would\b|finally\b|the\s+home\s+office\s+(?:would|will|is)\b|on\s+behalf\b|yours\b"
    r"|kind\s+regards|best\s+wishes|thank\s+you\b|many\s+thanks|in\s+conclusion|should\s+you\b"
    r"|if\s+you\s+have\b|the\s+(?:dhr|final)\s+report\s+(?:including|should)"
    r"|the\s+qa\s+panel\s+(?:also|would\s+like\s+to\s+thank))",
    re.I,
)
# What a closing paragraph asks for, wherever its sentence starts.
SENDING_ON = re.compile(
    r"digital\s+copy|web\s?link|dhrenquiries|domestic\s+abuse\s+commissioner|as\s+an\s+"
    r"(?:appendix|annex)|published\s+alongside",
    re.I,
)
SIGN_OFF = re.compile(
    r"^(?:yours\s+(?:sincerely|faithfully|truly)|kind\s+regards|best\s+wishes|with\s+best"
    r"|regards)\b",
    re.I,
)
_ENDS_SENTENCE = re.compile(r"""[.;:!?)"'\u201d\u2019]\s*$""")


def continues(previous: str, line: str) -> bool:
    """Whether a line after a gap carries on the sentence before it (a page break mid-point)."""
    start = clean(line).lstrip(" *_\"'\u201c\u2018(")
    return not _ENDS_SENTENCE.search(clean(previous)) or (start[:1].islower())


# --- references and categories ------------------------------------------------------------------

NUMBER_WORDS = {
    word: n
    for n, words in enumerate(
        [
            (),
            ("one", "first"),
            ("two", "second"),
            ("three", "third"),
            ("four", "fourth"),
            ("five", "fifth"),
            ("six", "sixth"),
            ("seven", "seventh"),
            ("eight", "eighth"),
            ("nine", "ninth"),
            ("ten", "tenth"),
            ("eleven", "eleventh"),
            ("twelve", "twelfth"),
            ("thirteen", "thirteenth"),
            ("fourteen", "fourteenth"),
            ("fifteen", "fifteenth"),
            ("sixteen", "sixteenth"),
            ("seventeen", "seventeenth"),
            ("eighteen", "eighteenth"),
            ("nineteen", "nineteenth"),
            ("twenty", "twentieth"),
        ]
    )
    for word in words
}
_NUM = r"(?:\d{1,3}(?![.\d])|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")\b"
_JOIN = r"\s*(?:,|\band\b|&|\bto\b|-|\u2013|\bor\b)\s*"
RECOMMENDATIONS = re.compile(
    rf"\brec(?:ommendation)?s?\b\.?\s*(?:no\.?\s*|nos\.?\s*|numbers?\s*)?(?P<list>{_NUM}"
    rf"(?:{_JOIN}{_NUM})*)",
    re.I,
)
_REF = r"\d{1,3}(?:\.\d{1,3}){0,4}"
KEYWORD_REFS = re.compile(
    rf"\b(?:paragraphs?|paras?\.?|sections?|§)\s*(?P<list>{_REF}(?:{_JOIN}{_REF})*)(?![\w%]|\.\d)",
    re.I,
)
_NOT_A_REF_AFTER = (
    r"\s*(?:%|per\s?cent|percent|million|billion|bn|m\b|k\b|mb|gb|kb|hours?|hrs?|minutes?|mins?"
    r"|years?|months?|weeks?|days?|pm\b|am\b|miles?|km|kg|metres?|times)"
)
BARE_REFS = re.compile(
    rf"(?<![\w.£$€/:,-])(?<!version )(?<!v)(?P<ref>\d{{1,2}}(?:\.\d{{1,3}}){{1,4}})"
    rf"(?![\w%:]|\.\d|/)(?!{_NOT_A_REF_AFTER})",
    re.I,
)


def _numbers(listed: str, *, expand: bool) -> list:
    parts = re.split(r"(\s*(?:,|\band\b|&|\bto\b|-|\u2013|\bor\b)\s*)", listed, flags=re.I)
    values, joins = parts[::2], [p.strip().lower() for p in parts[1::2]]
    out = []
    for i, raw in enumerate(values):
        raw = raw.strip()
        if not raw:
            continue
        value = (int(raw) if raw.isdigit() else NUMBER_WORDS[raw.lower()]) if expand else raw
        if expand and i and joins[i - 1] in ("to", "-", "\u2013") and out:
            start = out[-1]
            if start < value <= start + 30:
                out.extend(range(start + 1, value))
        out.append(value)
    return out


def _unique(values) -> list:
    return list(dict.fromkeys(values))


def recommendation_refs(text: str) -> list[int]:
    """The recommendations a text names: 'recommendation seven', 'Recommendations 8 and 11'."""
    found = []
    for match in RECOMMENDATIONS.finditer(clean(text)):
        found += _numbers(match["list"], expand=True)
    return _unique(n for n in found if n > 0)


def paragraph_refs(text: str) -> list[str]:
    """The report's numbered paragraphs a text names: 'paragraph 8.1', '5.1.17', 'Section 15.4'
    (as the number), but not money, durations, sizes or dates."""
    text = clean(text)
    found = []
    for match in KEYWORD_REFS.finditer(text):
        found += [(match.start(), ref) for ref in _numbers(match["list"], expand=False)]
    for match in BARE_REFS.finditer(text):
        found.append((match.start(), match["ref"]))
    found.sort(key=lambda item: item[0])
    return _unique(ref for _, ref in found)


_WHOSE = r"(?:the|her|his|their|a|an|any|this|that|these|those)"
_PERSON = (
    r"(?:victims?|perpetrators?|him|her|them|famil(?:y|ies)|children|child|sons?|daughters?"
    r"|relatives?|individuals?|people|persons?|officers?|staff|practitioners?|witness(?:es)?"
    r"|neighbours?|colleagues?|friends?|by\s+name|where\s+she|where\s+he)\b"
)
CATEGORY_WORDS = {
    # Identifying a person, not "identifying any breaches" or "identifying learning": a point
    # about the IOPC or police standards is about an agency, whatever verb it uses.
    Category.ANONYMITY: r"anonym|pseudonym|identifiable|be identified|redact|real names?|initials"
    rf"|identif(?:y|ying|ies)\s+(?:{_WHOSE}\s+)?(?:[\w'\u2019-]+\s+)?{_PERSON}",
    Category.LANGUAGE: r"victim[- ]blam|victim[- ]focus|language|reword|re-word|wording|phras"
    r"|terminolog|lived experience|voice of|misconception|tone|describ|sensitiv",
    Category.EQUALITY: r"equalit|diversit|protected characteristic|ethnic|\brace\b|racism|cultur"
    r"|disab|religio|faith|sexual orientation|lgbt|gender|intersection|immigra|language barrier"
    r"|interpret",
    Category.FAMILY: r"famil|friend|relative|next of kin|children of|loved ones|parents",
    Category.RECOMMENDATIONS: r"recommendation|action plan|action point|smart\b|actions?\b"
    r"|governance|outcome",
    Category.AGENCY: r"agenc|imr|\bgp|police|probation|prison|school|health|marac|social care"
    r"|housing|services?\b|practitioner|professional|training|\biopc\b|\bipcc\b"
    r"|independent office for police conduct|misconduct|\bofficers?\b",
    Category.ACCURACY: r"\bdates?\b|accura|typo|error|check|references?\b|proofread|consisten"
    r"|spelling|chronolog|incorrect|factual",
}


def category_of(text: str) -> str:
    """The category a point most likely falls in, by the words it uses (the coordinator can
    change it): the category with most matches, earlier in CATEGORY_WORDS on a tie."""
    text = clean(text).lower().replace("terms of reference", "")
    best, score = Category.OTHER, 0
    for category, words in CATEGORY_WORDS.items():
        count = len(re.findall(words, text))
        if count > score:
            best, score = category, count
    return best


# A theme heading's words, as the service's categories name them. A heading naming none of them
# (or more than one) stays as the letter wrote it, for the coordinator to see.
HEADING_CATEGORIES = {
    Category.LANGUAGE: r"language|terminolog|wording|victim[- ]focus|tone|voice",
    Category.EQUALITY: r"equalit|diversit|protected characteristic|intersection",
    Category.AGENCY: r"agenc|imr|practice|professional|services?\b",
    Category.RECOMMENDATIONS: r"recommendation|action plan",
    Category.ANONYMITY: r"anonym|redact|confidential",
    Category.FAMILY: r"famil|friends|relatives|loved ones",
    Category.ACCURACY: r"accura|\bdates?\b|typo|proofread|factual|errors?\b|consisten",
    Category.OTHER: r"^(?:other|general|miscellaneous)\b",
}


def category_of_heading(heading: str) -> str | None:
    """The category a theme heading names ('Language:', 'Family involvement:'), or None."""
    text = clean(heading).lower()
    named = [c for c, words in HEADING_CATEGORIES.items() if re.search(words, text)]
    return named[0] if len(named) == 1 else None


# --- the panel's meeting ------------------------------------------------------------------------

# How letters say the panel looked at the report: "met on", "considered the report at its
# meeting on", "was assessed by the Panel on", "discussed on", "reviewed on".
_MET = re.compile(
    r"\b(?:meeting|met|meet|sat|considered|assessed|discussed|reviewed|examined|evaluated"
    r"|looked\s+at)\b",
    re.I,
)
# Said without naming the panel, the verb must lead to its date: "was discussed on 3 May".
_MET_ON = re.compile(
    r"\b(?:met|considered|assessed|discussed|reviewed|examined|evaluated)\b(?:\s+[\w'\u2019]+){0,8}?"
    r"\s+on\s+(?:the\s+)?$",
    re.I,
)


def panel_date_of(body: str, letter_date: date | None) -> date | None:
    """The day the panel met on the report: the first date after words saying it met, in a
    sentence naming the panel (or with the date right after 'discussed on'). A date written
    without its year takes the year that puts it on or before the letter's date, and is left
    empty when the letter has no date."""
    for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z])", squash(clean(body))):
        verbs = list(_MET.finditer(sentence))
        if not verbs:
            continue
        names_panel = re.search(r"\bpanel\b", sentence, re.I)
        whole = dates_in(sentence)
        partial = [
            (at, in_year_before(month, day, letter_date))
            for at, month, day in dates_without_year_in(sentence)
        ]
        found = sorted(whole + partial, key=lambda item: item[0])
        after = [
            (at, value)
            for at, value in found
            if (names_panel and any(verb.start() < at for verb in verbs))
            or _MET_ON.search(sentence[:at])
        ]
        if not after and names_panel:  # "On 6 May 2022 the Panel met"
            after = found
        if after:
            # A day without a year in a letter without a date: left empty, not guessed.
            return after[0][1]
    return None


# --- outcome, good practice, closing requirements, signatory ------------------------------------

_NEGATED = re.compile(
    r"(?:no\s+need|not\s+need|not\s+necessary|not\s+required|don.t\s+need"
    r"|not\s+be\s+required|without\s+(?:the\s+)?need)\W+(?:\w+\W+){0,4}$"
)


def _found(pattern: str, text: str) -> bool:
    for match in re.finditer(pattern, text):
        if not _NEGATED.search(text[max(0, match.start() - 60) : match.start()]):
            return True
    return False


def outcome_of(text: str, has_points: bool) -> str:
    """The panel's verdict, as an `Outcome` value, or '' when the letter does not say."""
    text = squash(clean(text)).lower()
    text = re.sub(r"either\s+adequate\s+or\s+inadequate|adequate\s+or\s+inadequate", "", text)
    judged = (
        r"(?:judged|assessed|found|deemed|considered|rated|graded)\s+(?:it\s+|the\s+report\s+|"
        r"this\s+report\s+)?(?:as\s+|to\s+be\s+)?(?:being\s+)?"
    )
    if _found(judged + r"inadequate\b", text) or _found(r"\bis\s+inadequate\b", text):
        return Outcome.INADEQUATE
    if _found(
        r"\bre-?submi(?:t|ssion|tted)|\bsee\s+(?:a|the)\s+(?:revised|amended|further|final)\s+"
        r"(?:version|draft|report)|\bsee\s+(?:the|this|a)\s+(?:report|version)\s+again"
        r"|\b(?:return|send)\s+(?:it|the\s+(?:revised\s+)?report)\s+(?:back\s+)?to\s+the\s+panel"
        r"|\bbefore\s+(?:it\s+is|being)\s+published,?\s+the\s+panel\s+would",
        text,
    ):
        return Outcome.RESUBMIT
    if _found(judged + r"adequate\b", text):
        return Outcome.ADEQUATE
    publishable = _found(
        r"\b(?:may|can|could)\s+(?:now\s+)?be\s+published|\bcontent\s+(?:for|that)\b[^.]{0,80}"
        r"publish|\bmay\s+(?:now\s+)?publish|\bclear(?:ed)?\s+(?:for|to)\s+publi",
        text,
    )
    revision = _found(
        r"\b(?:once|on\s+completion\s+of|following|after|subject\s+to|when)\b[^.]{0,60}"
        r"\b(?:changes|amendments|revisions?|points|areas|completed|made|addressed)",
        text,
    )
    if publishable and (revision or has_points):
        return Outcome.PUBLISH_AFTER_REVISION
    if publishable:
        return Outcome.ADEQUATE
    return ""


PRAISE = re.compile(
    r"good\s+practice|commend|especially\s+helpful|particularly\s+helpful|grateful\s+for\s+your"
    r"|praise|strength|well[- ]written|thorough|exemplary|high\s+quality|impressed"
    r"|reflected\s+the\s+lived\s+experience|positive\s+(?:example|practice)",
    re.I,
)
REQUIREMENTS = {
    ChecklistItem.HOME_OFFICE: r"dhrenquiries|web\s?link|digital\s+copy|copy\s+of\s+the\s+"
    r"(?:revised|final)|send\s+(?:us|the\s+home\s+office)",
    ChecklistItem.COMMISSIONER: r"domestic\s+abuse\s+commissioner",
    ChecklistItem.PCC: r"police\s+and\s+crime\s+commissioner|\bpcc\b",
    ChecklistItem.LETTER_ANNEXED: r"(?:this|the)\s+(?:final\s+)?(?:home\s+office\s+)?(?:qa\s+)?"
    r"(?:panel\s+)?(?:feedback\s+)?letter\b[^.]{0,120}(?:appendix|annex|published\s+alongside"
    r"|attached|published\s+with)",
    ChecklistItem.ACTION_PLAN_ANNEXED: r"action\s+plan\b[^.]{0,80}(?:annex|appendix|appended)",
    ChecklistItem.ONE_PDF: r"\b\d+\s?mb\b|\bpdf\s+(?:document|file)|(?:a|one|single)\s+pdf\b",
}


def requirements_of(text: str, categories: list[str]) -> list[str]:
    """The publication steps the letter itself asks for (the checklist holds all of them)."""
    text = squash(clean(text)).lower()
    asked = [item for item, pattern in REQUIREMENTS.items() if re.search(pattern, text)]
    if Category.ANONYMITY in categories:
        asked.append(ChecklistItem.ANONYMITY)
    return [item for item in ChecklistItem.values if item in asked]


_ROLE = re.compile(r"\b(?:chair|head|director|panel|unit|secretariat|officer|manager|lead)\b", re.I)
_NAME = re.compile(
    r"^(?:(?:dr|mr|mrs|ms|miss|prof)\.?\s+)?[A-Z][\w'\u2019-]+(?:\s+[A-Z][\w'\u2019-]+){1,3}$"
)


def signatory_of(lines: list[str]) -> str:
    """Who signed: the name (and role) under 'Yours sincerely'."""
    for i, line in enumerate(lines):
        if SIGN_OFF.match(clean(line).strip()):
            after = [squash(clean(x)) for x in lines[i + 1 :] if x.strip() and not is_furniture(x)]
            for j, text in enumerate(after[:6]):
                if _ROLE.search(text):
                    name, _, role = text.partition(",")
                    if role and _NAME.match(name.strip()):
                        return text[:200]
                    if j and _NAME.match(after[j - 1]):
                        return f"{after[j - 1]}, {text}"[:200]
                    return text[:200]
            names = [text for text in after[:6] if _NAME.match(text)]
            return (names or after[:1] or [""])[0][:200]
    return ""


# --- the whole letter ---------------------------------------------------------------------------


@dataclass
class ParsedPoint:
    number: int
    text: str
    marker: str = ""  # the bullet, number or letter it carried ("" for a paragraph)
    paragraphs: list[str] = field(default_factory=list)
    recommendations: list[int] = field(default_factory=list)
    category: str = Category.OTHER
    heading: str = ""  # the theme heading it was under ("Structure"), if any

    def as_json(self) -> dict:
        return {
            "number": self.number,
            "text": self.text,
            "paragraphs": self.paragraphs,
            "recommendations": self.recommendations,
            "category": self.category,
            "heading": self.heading or None,
        }


@dataclass
class ParsedLetter:
    letter_date: date | None = None
    panel_date: date | None = None
    outcome: str = ""
    signatory: str = ""
    good_practice: list[str] = field(default_factory=list)
    points: list[ParsedPoint] = field(default_factory=list)
    requirements: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)  # every line not in a point
    dropped: list[str] = field(default_factory=list)  # page furniture, sub-bullet markers

    def as_json(self) -> dict:
        return {
            "letter_date": self.letter_date.isoformat() if self.letter_date else None,
            "panel_date": self.panel_date.isoformat() if self.panel_date else None,
            "outcome": self.outcome or None,
            "points": [point.as_json() for point in self.points],
        }


def _lines(text: str) -> list[str]:
    """The letter's lines, a form feed standing as a line of its own (a page break)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\f\n")
    return text.split("\n")


def _next_content(lines: list[str], start: int) -> int | None:
    """The index of the first line from `start` that holds text (not page furniture)."""
    for index in range(start, len(lines)):
        if lines[index].strip() and not is_furniture(lines[index]):
            return index
    return None


def _block(lines: list[str], start: int) -> tuple[int | None, int]:
    """The next paragraph from `start`: its first and last lines. A list item stands alone."""
    first = _next_content(lines, start)
    if first is None:
        return None, len(lines)
    last = first
    if list_item(lines[first]) is None:
        while (
            last + 1 < len(lines)
            and lines[last + 1].strip()
            and not is_furniture(lines[last + 1])
            and list_item(lines[last + 1]) is None
        ):
            last += 1
    return first, last


def _salutation(lines: list[str]) -> int:
    for i, line in enumerate(lines):
        if re.match(r"^\s*dear\b", clean(line), re.I):
            return i
    return -1


class _Points:
    """Collects the points of one list, line by line, each under the theme heading above it."""

    def __init__(self):
        self.items: list[tuple[str, list[str], str]] = []  # (marker, text parts, theme)
        self.top: tuple[str, int] | None = None  # the top-level marker kind and indent
        self.theme = ""  # the theme heading the points now read fall under

    @property
    def current(self) -> str:
        return " ".join(self.items[-1][1]) if self.items else ""

    def start(self, marker: str, text: str) -> None:
        self.items.append((marker, [text], self.theme))

    def add(self, text: str) -> None:
        self.items[-1][1].append(text)


def _theme_here(lines: list[str], i: int, item) -> tuple[str, tuple | None]:
    """('Structure', its level) when line i is a theme heading with points under it: a few words
    ending in ':' just before a list item that is not the letter's closing. The level is the
    heading's own (kind, indent) when it is a list item with its points nested under it."""
    theme = theme_of(item[3] if item else lines[i])
    if not theme or _SENDING.search(theme):
        return "", None
    following = _next_content(lines, i + 1)
    under = list_item(lines[following]) if following is not None else None
    if under is None:
        return "", None
    first = clean(under[3]).strip()
    if CLOSING.match(first) or SENDING_ON.search(first) or SIGN_OFF.match(first):
        return "", None
    nested = item is not None and (under[2] != item[2] or under[0] > item[0])
    return theme, ((item[2], item[0]) if nested else None)


def _read_list(
    lines: list[str], begin: int, theme: str = ""
) -> tuple[list, int, list[str], list[int]]:
    """Read the points starting at `begin`, under `theme` if the heading before them is one;
    returns them as (marker, text, theme), the index of the first line after them, what was
    dropped among them (page furniture, sub-bullet markers) and the theme headings' lines
    among them: the caller keeps the dropped only if it keeps the points, since otherwise the
    lines are read again as the letter around the points. A theme heading is never a point."""
    points = _Points()
    points.theme = theme
    themed_at: tuple[str, int] | None = None  # the level of a heading written as a list item
    dropped: list[str] = []
    headings: list[int] = []
    gap = False
    i = begin
    last_kind = None
    while i < len(lines):
        raw = lines[i]
        if not raw.strip():
            gap = True
            i += 1
            continue
        if is_furniture(raw):
            gap = True
            if raw.strip() and raw.strip() != "\f":
                dropped.append(raw)
            i += 1
            continue
        item = list_item(raw, last_kind)
        text = clean(raw).strip()
        if SIGN_OFF.match(text):
            break
        heading, level = _theme_here(lines, i, item)
        if heading:  # "Structure:", its points below it
            points.theme, points.top, themed_at = heading, None, level
            headings.append(i)
            last_kind = item[2] if item else None
            gap = False
            i += 1
            continue
        if item:
            indent, marker, kind, rest = item
            if themed_at and kind == themed_at[0] and indent <= themed_at[1]:
                # Back at the level of the theme headings: a point under none of them.
                points.theme, points.top, themed_at = "", (kind, indent), None
                points.start(marker, rest)
            elif points.top is None:
                points.top = (kind, indent)
                points.start(marker, rest)
            elif (kind, min(indent, points.top[1])) == points.top or (
                kind == points.top[0] and indent <= points.top[1] + 1
            ):
                points.start(marker, rest)
            else:  # a sub-bullet: part of the point above
                dropped.append(marker)
                points.add(rest)
            last_kind = kind
        elif points.top is None:  # the points are plain paragraphs
            if CLOSING.match(text) or SENDING_ON.search(text):
                break
            points.top = ("paragraph", 0)
            points.start("", raw)
        elif points.top[0] == "paragraph":
            if gap and not continues(points.current, raw):
                if CLOSING.match(text) or SENDING_ON.search(text) or is_heading(raw, False):
                    break
                points.start("", raw)
            else:
                points.add(raw)
        elif gap and not continues(points.current, raw):
            break
        else:
            points.add(raw)
        gap = False
        i += 1
    # Trailing blank or furniture lines are left for what follows; so is a theme heading
    # after the last point, which only the points under it would make a heading.
    return points.items, i, dropped, headings


def parse_letter(text: str) -> ParsedLetter:
    """Propose the letter's dates, outcome, good practice and points from its text."""
    letter = ParsedLetter()
    lines = _lines(text or "")
    dear = _salutation(lines)
    body_from = dear + 1 if dear >= 0 else 0

    # The letter's own date: a line holding only a date above 'Dear', else the first date.
    top = lines[:dear] if dear >= 0 else lines[:15]
    alone = [d for d in (date_alone(line) for line in top) if d]
    if alone:
        letter.letter_date = alone[-1]
    else:  # a labelled date among other things ('Our ref: X   Date: 2 May 2021'), never a guess
        letter.letter_date = labelled_date(top)

    # The points: every list that follows a heading, in the body of the letter. A heading is
    # read as a whole paragraph, since a PDF's text wraps it over lines.
    raw_points: list[tuple[str, list[str], str]] = []
    in_points: set[int] = set()
    for loose in (False, True):  # failing a known heading, any ':' line before a list
        i = body_from
        while i < len(lines) and not (loose and raw_points):
            first, last = _block(lines, i)
            if first is None:
                break
            block = " ".join(lines[first : last + 1])
            following = _next_content(lines, last + 1)
            next_is_item = following is not None and list_item(lines[following]) is not None
            heading = (
                is_loose_heading(block) and next_is_item
                if loose
                else is_heading(block, next_is_item)
            )
            if heading:
                theme = theme_of(block) if first == last else ""
                found, end, dropped, headings = _read_list(lines, last + 1, theme)
                if found:
                    raw_points += found
                    letter.dropped += dropped
                    # The theme headings are the letter around the points, never a point.
                    in_points.update(set(range(last + 1, end)) - set(headings))
                    i = end
                    continue
            i = last + 1
        if raw_points:
            break

    for marker, parts, theme in raw_points:
        point_text = squash(clean(" ".join(parts)))
        if not point_text:  # a bullet with nothing after it
            letter.dropped.append(marker)
            continue
        letter.points.append(
            ParsedPoint(
                number=len(letter.points) + 1,
                text=point_text,
                marker=marker,
                paragraphs=paragraph_refs(point_text),
                recommendations=recommendation_refs(point_text),
                # Under a theme heading, the heading is the proposal: the service's category
                # when it names one, else Other with the heading shown to the coordinator.
                category=(category_of_heading(theme) or Category.OTHER)
                if theme
                else category_of(point_text),
                heading=theme,
            )
        )

    # Everything else is the letter around the points.
    for index, line in enumerate(lines):
        if index in in_points:
            continue
        if line.strip() and is_furniture(line):
            if line.strip() != "\f":
                letter.dropped.append(line)
        else:
            letter.other.append(line)

    around = "\n".join(letter.other)
    paragraphs = [squash(clean(p)) for p in re.split(r"\n\s*\n", around) if p.strip()]
    body = "\n".join(line for n, line in enumerate(lines) if n >= body_from and n not in in_points)
    letter.panel_date = panel_date_of(body, letter.letter_date)
    first_heading = min(in_points, default=len(lines))
    before = "\n".join(lines[body_from:first_heading])
    letter.good_practice = [
        squash(clean(p))
        for p in re.split(r"\n\s*\n", before)
        if PRAISE.search(p) and not is_heading(p.strip().splitlines()[-1], False)
    ]
    letter.outcome = outcome_of(around, bool(letter.points))
    letter.requirements = requirements_of(
        " ".join(paragraphs), [point.category for point in letter.points]
    )
    letter.signatory = signatory_of(lines)
    return letter
