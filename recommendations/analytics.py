"""Analytics across a partnership's reviews, as plain data for one page:

    themes over time    recommendations by theme and year (a recommendation with several themes
                        counts under each; one without is under "No theme"). Its year is its
                        review's decision, else notification, else the year in the reference (an
                        imported review has no dates), else "Not known"
    repeated            recommendations of different reviews with similar text: the same lesson
                        learned again. Texts are reduced to their telling words (lower case, no
                        stopwords or filler, crudely stemmed); two are similar when each has at
                        least 3 and at least half of all their words are common to both (Jaccard
                        index). Similar pairs join into groups. The words a group shares are
                        shown as its texts write them: for each stem, its form used most
                        ("shared" for "shar"; ties alphabetical), in lower case unless mostly
                        written as an abbreviation ("MARAC", "GPs")
    overdue agencies    the agencies with the most open actions past their target date
    timeliness          each decided review against the decision clock (a month from the
                        notification) and the report clock (six months from the decision, raw;
                        adjusted for extensions and ended pauses as the review row keeps it)

Reviews that did not proceed have no recommendations to count; their decisions still count for
timeliness. The number of queries is fixed, whatever the number of reviews.
"""

import re
import statistics
from collections import Counter, defaultdict
from datetime import date

from django.db.models import Count, F, Min, Q

from recommendations.models import Action, Recommendation
from recommendations.tracker import NO_THEME, percent
from reviews import clocks
from reviews.models import Review, Status

NOT_KNOWN = "Not known"
OVERDUE_AGENCIES_SHOWN = 10
SIMILAR_MIN_WORDS = 3
SIMILAR_MIN_JACCARD = 0.5
REFERENCE_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
WORD = re.compile(r"[A-Za-z0-9]+")
# Common English words (and what is left of a contraction: "child's" gives "child" and "s")...
COMMON_WORDS = """
    a about above across after again against all also am an and any are as at be been before
    being below between both but by can could d did do does doing down during each either etc
    every few for from further had has have having he her here hers him his how i if in into is
    it its itself just ll m may me might more most must my no nor not now of off on once only
    onto or other our ours out over own per re s same shall she so some such t than that the
    their theirs them then there these they this those through to too under until up upon us
    ve very via was we were what when where whether which while who whom whose why will with
    within without would you your
"""
# ...and the filler every recommendation uses, which says nothing about what it asks.
FILLER_WORDS = """
    should review reviews agency agencies ensure ensures ensuring consider considers
    considering recommend recommends recommended recommendation recommendations relevant
    appropriate appropriately partner partners partnership dhr dhrs take steps
"""
STOPWORDS = frozenset(COMMON_WORDS.split()) | frozenset(FILLER_WORDS.split())
SUFFIXES = ("ing", "ed", "es", "s")


def analytics(partnership, *, today: date) -> dict:
    """Every figure of the analytics page (see the module's docstring)."""
    recommendations = list(
        Recommendation.objects.filter(review__partnership=partnership)
        .exclude(review__status=Status.NOT_PROCEEDING)
        .select_related("review", "lead_agency")
        .prefetch_related("themes")
    )
    return {
        "themes_over_time": _themes_over_time(recommendations),
        "repeated": _repeated(recommendations),
        "overdue_agencies": _overdue_agencies(partnership, today),
        "timeliness": _timeliness(partnership),
    }


# --- themes over time


def recommendation_year(review) -> int | str:
    """The year a review's recommendations belong to (see the module's docstring)."""
    for day in (review.decided_on, review.notified_on):
        if day is not None:
            return day.year
    found = REFERENCE_YEAR.search(review.reference)
    return int(found.group()) if found else NOT_KNOWN


def _themes_over_time(recommendations) -> dict:
    counts: defaultdict[str, Counter] = defaultdict(Counter)
    for recommendation in recommendations:
        year = recommendation_year(recommendation.review)
        for theme in recommendation.themes.all() or [None]:
            counts[theme.name if theme else NO_THEME][year] += 1
    found = {year for by_year in counts.values() for year in by_year}
    years = sorted(y for y in found if y != NOT_KNOWN) + ([NOT_KNOWN] if NOT_KNOWN in found else [])
    rows = [
        {
            "theme": theme,
            "counts": [by_year[year] for year in years],
            "total": sum(by_year.values()),
        }
        for theme, by_year in counts.items()
    ]
    rows.sort(key=lambda row: (-row["total"], row["theme"].casefold()))
    return {"years": years, "rows": rows}


# --- recommendations repeated across reviews


def _stem(word: str) -> str:
    """Crude, but the same for each form of a word: share, shares, shared and sharing all give
    'shar' (a final 'e' goes too)."""
    if len(word) > 4:
        for suffix in SUFFIXES:
            if word.endswith(suffix):
                word = word[: -len(suffix)]
                break
        if len(word) > 3 and word.endswith("e"):
            word = word[:-1]
    return word


def _telling(text: str) -> list[tuple[str, str]]:
    """Each telling word of a text (letters and digits, not a stopword) as written, with its
    stem."""
    words = []
    for written in WORD.findall(text):
        word = written.lower()
        stem = _stem(word)
        if word not in STOPWORDS and stem not in STOPWORDS:
            words.append((written, stem))
    return words


def text_words(text: str) -> frozenset[str]:
    """The telling words of a recommendation: lower case, letters and digits, no stopwords,
    crudely stemmed."""
    return frozenset(stem for _, stem in _telling(text))


def _most_used(counts: Counter) -> str:
    return min(counts.items(), key=lambda item: (-item[1], item[0]))[0]


def _as_written(stems: frozenset[str], texts: list[str]) -> list[str]:
    """The stems as the texts write them (see the module's docstring), in alphabetical order."""
    forms: defaultdict[str, Counter] = defaultdict(Counter)
    spellings: defaultdict[str, Counter] = defaultdict(Counter)
    for text in texts:
        for written, stem in _telling(text):
            if stem in stems:
                forms[stem][written.lower()] += 1
                spellings[written.lower()][written] += 1
    words = []
    for stem in stems:
        word = _most_used(forms[stem])
        spelling = _most_used(spellings[word])
        words.append(spelling if any(letter.isupper() for letter in spelling[1:]) else word)
    return sorted(words, key=lambda word: (word.casefold(), word))


def similar(a: frozenset[str], b: frozenset[str]) -> bool:
    if len(a) < SIMILAR_MIN_WORDS or len(b) < SIMILAR_MIN_WORDS:
        return False
    return len(a & b) / len(a | b) >= SIMILAR_MIN_JACCARD


def _repeated(recommendations) -> list[dict]:
    items = sorted(recommendations, key=lambda r: (r.review.reference, r.number, r.pk))
    words = [text_words(r.text) for r in items]
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Every pair once: a few hundred recommendations are a few tens of thousands of pairs.
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            if items[i].review_id != items[j].review_id and similar(words[i], words[j]):
                parent[root(j)] = root(i)
    members = defaultdict(list)
    for i in range(len(items)):
        members[root(i)].append(i)
    # Only recommendations of different reviews are joined, so any pair spans two reviews.
    groups = [group for group in members.values() if len(group) > 1]
    groups.sort(key=lambda group: (-len(group), group[0]))
    return [
        {
            "words": _as_written(
                frozenset.intersection(*(words[i] for i in group)),
                [items[i].text for i in group],
            ),
            "recommendations": [_recommendation_json(items[i]) for i in group],
        }
        for group in groups
    ]


def _recommendation_json(recommendation) -> dict:
    return {
        "review": recommendation.review.public_title,
        "review_id": recommendation.review_id,
        "number": recommendation.number,
        "text": recommendation.text,
        "lead_agency": recommendation.lead_agency.name,
        "addressed_to": recommendation.addressee_name,
    }


# --- agencies with overdue actions


def _overdue_agencies(partnership, today: date) -> list[dict]:
    past = Q(target_date__lt=today)
    rows = (
        Action.objects.filter(recommendation__review__partnership=partnership)
        .exclude(recommendation__review__status=Status.NOT_PROCEEDING)
        .exclude(status__in=Action.CLOSED)
        .values("owner_agency", "owner_agency__name")
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=past),
            oldest=Min("target_date", filter=past),
        )
        .filter(overdue__gte=1)
    )
    agencies = [
        {
            "agency": row["owner_agency__name"],
            "overdue": row["overdue"],
            "open": row["open"],
            "oldest_days": (today - row["oldest"]).days,
        }
        for row in rows
    ]
    agencies.sort(key=lambda agency: (-agency["overdue"], agency["agency"].casefold()))
    return agencies[:OVERDUE_AGENCIES_SHOWN]


# --- timeliness


def _median(days: list[int]) -> int | None:
    return round(statistics.median(days)) if days else None


def timeliness_row(review) -> dict:
    """One decided review against the decision and report clocks; None where a clock does not
    apply (no notification date; no report submitted after a decision to proceed)."""
    row = {
        "review": review.public_title,
        "review_id": review.pk,
        "notified_on": review.notified_on,
        "decided_on": review.decided_on,
        "decision_due": None,
        "decision_days": None,
        "decision_on_time": None,
        "submitted_on": review.submitted_on,
        "report_due_raw": None,
        "report_due_adjusted": None,
        "report_days": None,
        "report_on_time_raw": None,
        "report_on_time_adjusted": None,
    }
    if review.notified_on and review.decided_on:
        due = clocks.decision_due(review)
        row["decision_due"] = due
        row["decision_days"] = (review.decided_on - review.notified_on).days
        row["decision_on_time"] = review.decided_on <= due
    if review.decided_on and review.proceed and review.submitted_on:
        raw = clocks.statutory_report_due(review)
        adjusted = review.report_due_on or raw
        row["report_due_raw"] = raw
        row["report_due_adjusted"] = adjusted
        row["report_days"] = (review.submitted_on - review.decided_on).days
        row["report_on_time_raw"] = review.submitted_on <= raw
        row["report_on_time_adjusted"] = review.submitted_on <= adjusted
    return row


def _timeliness(partnership) -> dict:
    reviews = Review.objects.filter(partnership=partnership, decided_on__isnull=False).order_by(
        F("notified_on").asc(nulls_last=True), "reference", "pk"
    )
    rows = [timeliness_row(review) for review in reviews]
    decisions = [row for row in rows if row["decision_days"] is not None]
    reports = [row for row in rows if row["report_days"] is not None]
    on_time = sum(row["decision_on_time"] for row in decisions)
    on_time_raw = sum(row["report_on_time_raw"] for row in reports)
    on_time_adjusted = sum(row["report_on_time_adjusted"] for row in reports)
    return {
        "decision": {
            "reviews": len(decisions),
            "median_days": _median([row["decision_days"] for row in decisions]),
            "on_time": on_time,
            "percent_on_time": percent(on_time, len(decisions)),
        },
        "report": {
            "reviews": len(reports),
            "median_days": _median([row["report_days"] for row in reports]),
            "on_time_raw": on_time_raw,
            "percent_on_time_raw": percent(on_time_raw, len(reports)),
            "on_time_adjusted": on_time_adjusted,
            "percent_on_time_adjusted": percent(on_time_adjusted, len(reports)),
        },
        "rows": rows,
    }
