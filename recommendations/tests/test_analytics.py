"""Analytics across reviews, on small data whose every figure is worked out by hand: themes over
time, recommendations repeated across reviews, agencies with overdue actions and timeliness;
and a fixed number of queries however much data there is."""

import re
from datetime import date

from django.urls import reverse

from recommendations.analytics import analytics
from recommendations.models import Action, Theme
from recommendations.tests.factories import (
    ActionCompletedFactory,
    ActionFactory,
    ActionInProgressFactory,
    ActionNotApplicableFactory,
    RecommendationFactory,
)
from reviews import services
from reviews.models import Extension, Status
from reviews.tests.factories import (
    AgencyFactory,
    ReviewFactory,
    ReviewNotProceedingFactory,
    ReviewProceedingFactory,
    UserFactory,
)

TODAY = date(2026, 3, 1)
RISK = "Risk assessment"
SHARING = "Information sharing and multi-agency working"
AWARENESS = "Awareness raising and communication"


def _theme(name: str) -> Theme:
    return Theme.objects.get_or_create(name=name)[0]


def _review(partnership, reference, pseudonym="Anna", **fields):
    """A review in monitoring, decided with dates as given (none unless given)."""
    fields = {"notified_on": None, "decided_on": None, "submitted_on": None, **fields}
    return ReviewProceedingFactory(
        partnership=partnership,
        reference=reference,
        victim_pseudonym=pseudonym,
        status=Status.MONITORING,
        **fields,
    )


def _recommendation(review, *themes, text=None, lead_agency=None):
    kwargs = {"text": text} if text else {}
    if lead_agency:
        kwargs["lead_agency"] = lead_agency
    recommendation = RecommendationFactory(review=review, **kwargs)
    recommendation.themes.set([_theme(name) for name in themes])
    return recommendation


# --- themes over time


def test_themes_are_counted_by_year_with_no_theme_and_years_not_known(people):
    decided = _review(
        people.home, "DHR-2019-01", notified_on=date(2019, 4, 10), decided_on=date(2019, 5, 1)
    )
    # Notified in 2020 and decided in 2021: the decision's year counts.
    late = _review(
        people.home, "DHR-2020-07", notified_on=date(2020, 12, 15), decided_on=date(2021, 1, 10)
    )
    notified_only = ReviewFactory(
        partnership=people.home, reference="DHR-2019-09", notified_on=date(2020, 12, 20)
    )
    imported = ReviewFactory(
        partnership=people.home,
        reference="DHR-2018-03",
        status=Status.MONITORING,
        imported_on=date(2025, 6, 1),
        notified_on=None,
        notifying_force=None,
        date_of_death=None,
    )
    no_year = _review(people.home, "Legacy case A")
    not_proceeding = ReviewNotProceedingFactory(partnership=people.home, reference="DHR-2022-01")
    elsewhere = _review(people.away, "DHR-2017-01", decided_on=date(2017, 2, 1))
    housing = "housing"  # a partnership's own theme, in lower case

    _recommendation(decided, RISK, SHARING)
    _recommendation(decided, RISK)
    _recommendation(late, RISK)
    _recommendation(late)
    _recommendation(notified_only, SHARING, housing)
    _recommendation(imported, AWARENESS, housing)
    _recommendation(no_year)
    _recommendation(not_proceeding, RISK)
    _recommendation(elsewhere, RISK)

    result = analytics(people.home, today=TODAY)["themes_over_time"]

    assert result == {
        "years": [2018, 2019, 2020, 2021, "Not known"],
        "rows": [
            {"theme": RISK, "counts": [0, 2, 0, 1, 0], "total": 3},
            {"theme": housing, "counts": [1, 0, 1, 0, 0], "total": 2},
            {"theme": SHARING, "counts": [0, 1, 1, 0, 0], "total": 2},
            {"theme": "No theme", "counts": [0, 0, 0, 1, 1], "total": 2},
            {"theme": AWARENESS, "counts": [1, 0, 0, 0, 0], "total": 1},
        ],
    }


def test_years_have_no_not_known_column_when_every_year_is_known(people):
    review = _review(people.home, "Legacy case B", notified_on=date(2023, 3, 3))
    _recommendation(review, RISK)

    result = analytics(people.home, today=TODAY)["themes_over_time"]

    assert result == {
        "years": [2023],
        "rows": [{"theme": RISK, "counts": [1], "total": 1}],
    }


def test_a_partnership_without_recommendations_has_empty_analytics(people):
    result = analytics(people.home, today=TODAY)

    assert result == {
        "themes_over_time": {"years": [], "rows": []},
        "repeated": [],
        "overdue_agencies": [],
        "timeliness": {
            "decision": {"reviews": 0, "median_days": None, "on_time": 0, "percent_on_time": 0},
            "report": {
                "reviews": 0,
                "median_days": None,
                "on_time_raw": 0,
                "percent_on_time_raw": 0,
                "on_time_adjusted": 0,
                "percent_on_time_adjusted": 0,
            },
            "rows": [],
        },
    }


# --- recommendations repeated across reviews

RISK_A = "The police should ensure that risk assessments are shared with the MARAC."
RISK_B = "All agencies should share risk assessments with the MARAC and the police."
RISK_C = "Police risk assessments must be shared with MARAC."
GP_A = "GPs should ask routinely about domestic abuse at appointments."
GP_C = "GPs should routinely ask about domestic abuse at every appointment."
# Shares four of its words with GP_A, of nine between them: not similar enough.
GP_NEAR = "GP practices should routinely ask patients about domestic abuse."
CHILD_B = "Children's services should hear the voice of the child in every assessment."
CHILD_D = "Childrens services must hear the child's voice in each assessment."
HOUSING = "Housing providers should train staff in recognising coercive control."
OLDER = "The local authority should commission a specialist service for older victims."
SHORT = "Review the training."  # one word that tells: too short to compare


def test_similar_recommendations_of_different_reviews_are_grouped(people):
    police, health = AgencyFactory(name="Northvale Police"), AgencyFactory(name="Northvale NHS")
    # Created out of reference order: groups and members follow the references.
    d = _review(people.home, "DHR-2023-01", "Dina")
    c = _review(people.home, "DHR-2022-02", "Cara")
    b = _review(people.home, "DHR-2022-01", "Beth")
    a = _review(people.home, "DHR-2021-01", "Anna")
    refused = ReviewNotProceedingFactory(partnership=people.home, reference="DHR-2023-02")
    elsewhere = _review(people.away, "DHR-2021-05", "Eve")

    a1 = _recommendation(a, text=RISK_A, lead_agency=police)
    a2 = _recommendation(a, text=GP_A, lead_agency=health)
    _recommendation(a, text=OLDER)
    b1 = _recommendation(b, text=RISK_B, lead_agency=police)
    _recommendation(b, text=SHORT)
    b3 = _recommendation(b, text=CHILD_B, lead_agency=health)
    c1 = _recommendation(c, text=GP_C, lead_agency=health)
    c2 = _recommendation(c, text=RISK_C, lead_agency=police)
    _recommendation(c, text=SHORT)
    # The same text twice in one review is not a repeat across reviews.
    _recommendation(d, text=HOUSING)
    _recommendation(d, text=HOUSING)
    _recommendation(d, text=GP_NEAR)
    d4 = _recommendation(d, text=CHILD_D, lead_agency=health)
    _recommendation(refused, text=RISK_A)
    _recommendation(elsewhere, text=RISK_A)

    def member(recommendation, title):
        return {
            "review": title,
            "review_id": recommendation.review_id,
            "number": recommendation.number,
            "text": recommendation.text,
            "lead_agency": recommendation.lead_agency.name,
            "addressed_to": recommendation.addressee_name,
        }

    result = analytics(people.home, today=TODAY)["repeated"]

    assert result == [
        {
            # "shared" and "share" are one word, shown as it is written most: five are common
            # to all three.
            "words": ["assessments", "MARAC", "police", "risk", "shared"],
            "recommendations": [
                member(a1, "DHR-2021-01 'Anna'"),
                member(b1, "DHR-2022-01 'Beth'"),
                member(c2, "DHR-2022-02 'Cara'"),
            ],
        },
        {
            # "appointment" and "appointments" once each: the first in alphabetical order.
            "words": ["abuse", "appointment", "ask", "domestic", "GPs", "routinely"],
            "recommendations": [member(a2, "DHR-2021-01 'Anna'"), member(c1, "DHR-2022-02 'Cara'")],
        },
        {
            "words": ["assessment", "child", "children", "hear", "services", "voice"],
            "recommendations": [member(b3, "DHR-2022-01 'Beth'"), member(d4, "DHR-2023-01 'Dina'")],
        },
    ]
    assert [r["number"] for r in result[0]["recommendations"]] == [1, 1, 2]


def test_a_chain_of_similar_texts_is_one_group_with_the_words_all_share(people):
    a = _review(people.home, "DHR-2021-01", "Anna")
    b = _review(people.home, "DHR-2021-02", "Beth")
    c = _review(people.home, "DHR-2021-03", "Cara")
    # a~b (3 of 4 words) and b~c (3 of 4), but a and c share only two of six.
    _recommendation(a, text="alpha bravo charlie")
    _recommendation(b, text="alpha bravo charlie delta")
    _recommendation(c, text="bravo charlie delta")

    result = analytics(people.home, today=TODAY)["repeated"]

    assert [(g["words"], [m["review"] for m in g["recommendations"]]) for g in result] == [
        (["bravo", "charlie"], ["DHR-2021-01 'Anna'", "DHR-2021-02 'Beth'", "DHR-2021-03 'Cara'"])
    ]


# --- agencies with overdue actions


def test_agencies_with_most_overdue_actions_first_and_only_ten(people):
    police = AgencyFactory(name="Northvale Police")
    council = AgencyFactory(name="Northvale Council")
    housing = AgencyFactory(name="abbey housing")  # sorts by name whatever its case
    quiet = AgencyFactory(name="Agency with nothing overdue")
    review = _review(people.home, "DHR-2021-01", decided_on=date(2021, 3, 1))
    recommendation = _recommendation(review, lead_agency=police)

    def actions(agency, *targets, factory=ActionFactory, on=recommendation):
        for target in targets:
            factory(recommendation=on, owner_agency=agency, target_date=target)

    actions(police, date(2026, 1, 1), date(2026, 2, 1), date(2026, 2, 28))
    actions(police, TODAY)  # due today: open, not overdue
    actions(police, date(2025, 1, 1), factory=ActionCompletedFactory)
    actions(police, date(2025, 1, 1), factory=ActionNotApplicableFactory)
    actions(council, date(2025, 12, 1), factory=ActionInProgressFactory)
    actions(council, date(2026, 2, 15))
    actions(housing, date(2026, 2, 1), date(2026, 2, 1))
    actions(quiet, date(2026, 6, 1))
    fillers = [AgencyFactory(name=f"Filler {n:02d}") for n in range(1, 10)]
    for filler in fillers:
        actions(filler, date(2026, 2, 27))
    # Neither a review that did not proceed nor another partnership's counts.
    refused = ReviewNotProceedingFactory(partnership=people.home, reference="DHR-2021-02")
    actions(police, date(2020, 1, 1), on=_recommendation(refused, lead_agency=police))
    away = _review(people.away, "DHR-2021-01", decided_on=date(2021, 3, 1))
    actions(police, date(2020, 1, 1), on=_recommendation(away, lead_agency=police))

    result = analytics(people.home, today=TODAY)["overdue_agencies"]

    assert result == [
        {"agency": "Northvale Police", "overdue": 3, "open": 4, "oldest_days": 59},
        {"agency": "abbey housing", "overdue": 2, "open": 2, "oldest_days": 28},
        {"agency": "Northvale Council", "overdue": 2, "open": 2, "oldest_days": 90},
    ] + [
        {"agency": f"Filler {n:02d}", "overdue": 1, "open": 1, "oldest_days": 2}
        for n in range(1, 8)
    ]
    assert Action.objects.filter(owner_agency__name__startswith="Filler").count() == 9


# --- timeliness


def _row(review, **values):
    row = dict.fromkeys(
        [
            "decision_due",
            "decision_days",
            "decision_on_time",
            "submitted_on",
            "report_due_raw",
            "report_due_adjusted",
            "report_days",
            "report_on_time_raw",
            "report_on_time_adjusted",
        ]
    )
    return {
        "review": review.public_title,
        "review_id": review.pk,
        "notified_on": review.notified_on,
        "decided_on": review.decided_on,
        **row,
        **values,
    }


def test_decision_and_report_timeliness_raw_and_adjusted(people):
    on_time = _review(
        people.home,
        "DHR-2024-01",
        "Anna",
        notified_on=date(2024, 1, 10),
        decided_on=date(2024, 2, 5),
        submitted_on=date(2024, 7, 1),
    )
    # Decided late, and reported late against six months but on time against its extension.
    extended = _review(
        people.home,
        "DHR-2024-02",
        "Beth",
        notified_on=date(2024, 3, 1),
        decided_on=date(2024, 4, 15),
        submitted_on=date(2024, 12, 1),
    )
    chair = UserFactory()
    Extension.objects.create(
        review=extended,
        requested_on=date(2024, 9, 1),
        requested_by=people.coordinator,
        reason="The inquest was adjourned",
        new_due_on=date(2024, 12, 20),
        status=Extension.Status.APPROVED,
        decided_on=date(2024, 9, 5),
        decided_by=chair,
    )
    services.review_refresh_clock_dates(review=extended)
    extended.refresh_from_db()
    assert extended.report_due_on == date(2024, 12, 20)
    not_reported = _review(
        people.home,
        "DHR-2024-03",
        "Cara",
        notified_on=date(2024, 5, 1),
        decided_on=date(2024, 5, 31),
    )
    refused = ReviewNotProceedingFactory(
        partnership=people.home,
        reference="DHR-2024-04",
        victim_pseudonym="Dina",
        notified_on=date(2024, 6, 1),
        decided_on=date(2024, 7, 2),
    )
    # Decided and reported on the very days they were due.
    on_the_day = _review(
        people.home,
        "DHR-2023-09",
        "Eve",
        notified_on=date(2023, 11, 30),
        decided_on=date(2023, 12, 30),
        submitted_on=date(2024, 6, 30),
    )
    ReviewFactory(partnership=people.home, notified_on=date(2024, 8, 1))  # not decided yet
    _review(people.away, "DHR-2024-01", notified_on=date(2024, 1, 1), decided_on=date(2024, 3, 1))

    result = analytics(people.home, today=TODAY)["timeliness"]

    assert result["rows"] == [
        _row(
            on_the_day,
            decision_due=date(2023, 12, 30),
            decision_days=30,
            decision_on_time=True,
            submitted_on=date(2024, 6, 30),
            report_due_raw=date(2024, 6, 30),
            report_due_adjusted=date(2024, 6, 30),
            report_days=183,
            report_on_time_raw=True,
            report_on_time_adjusted=True,
        ),
        _row(
            on_time,
            decision_due=date(2024, 2, 10),
            decision_days=26,
            decision_on_time=True,
            submitted_on=date(2024, 7, 1),
            report_due_raw=date(2024, 8, 5),
            report_due_adjusted=date(2024, 8, 5),
            report_days=147,
            report_on_time_raw=True,
            report_on_time_adjusted=True,
        ),
        _row(
            extended,
            decision_due=date(2024, 4, 1),
            decision_days=45,
            decision_on_time=False,
            submitted_on=date(2024, 12, 1),
            report_due_raw=date(2024, 10, 15),
            report_due_adjusted=date(2024, 12, 20),
            report_days=230,
            report_on_time_raw=False,
            report_on_time_adjusted=True,
        ),
        _row(
            not_reported,
            decision_due=date(2024, 6, 1),
            decision_days=30,
            decision_on_time=True,
        ),
        _row(
            refused,
            decision_due=date(2024, 7, 1),
            decision_days=31,
            decision_on_time=False,
        ),
    ]
    # Decisions in 30, 26, 45, 30 and 31 days; reports in 183, 147 and 230.
    assert result["decision"] == {
        "reviews": 5,
        "median_days": 30,
        "on_time": 3,
        "percent_on_time": 60,
    }
    assert result["report"] == {
        "reviews": 3,
        "median_days": 183,
        "on_time_raw": 2,
        "percent_on_time_raw": 67,
        "on_time_adjusted": 3,
        "percent_on_time_adjusted": 100,
    }


def test_the_median_of_an_even_number_of_reviews_is_rounded(people):
    for number, (notified, decided) in enumerate(
        [(date(2024, 1, 1), date(2024, 1, 11)), (date(2024, 2, 1), date(2024, 2, 26))], start=1
    ):
        _review(people.home, f"DHR-2024-0{number}", notified_on=notified, decided_on=decided)

    result = analytics(people.home, today=TODAY)["timeliness"]["decision"]

    # Ten and 25 days: 17.5, rounded to 18.
    assert result == {"reviews": 2, "median_days": 18, "on_time": 2, "percent_on_time": 100}


# --- queries


def _build(partnership, start: int, count: int):
    police = AgencyFactory(name="Northvale Police")
    for n in range(start, start + count):
        review = _review(
            partnership,
            f"DHR-2024-{n:02d}",
            notified_on=date(2024, 1, n),
            decided_on=date(2024, 2, n),
            submitted_on=date(2024, 8, n),
        )
        for text in (RISK_A, None):
            recommendation = _recommendation(review, RISK, SHARING, text=text, lead_agency=police)
            ActionFactory(recommendation=recommendation, target_date=date(2026, 1, n))
            ActionFactory(
                recommendation=recommendation,
                owner_agency=AgencyFactory(),
                target_date=date(2026, 2, n),
            )


def test_the_number_of_queries_does_not_grow_with_the_data(people, django_assert_max_num_queries):
    _build(people.home, 1, 1)
    with django_assert_max_num_queries(4):
        small = analytics(people.home, today=TODAY)
    _build(people.home, 2, 8)
    with django_assert_max_num_queries(4):
        large = analytics(people.home, today=TODAY)

    assert (len(small["timeliness"]["rows"]), len(large["timeliness"]["rows"])) == (1, 9)
    assert [len(g["recommendations"]) for g in large["repeated"]] == [9]
    assert large["themes_over_time"] == {
        "years": [2024],
        "rows": [
            {"theme": SHARING, "counts": [18], "total": 18},
            {"theme": RISK, "counts": [18], "total": 18},
        ],
    }
    assert len(large["overdue_agencies"]) == 10


def test_each_form_of_a_word_is_the_same_word():
    from recommendations.analytics import text_words

    forms = ["share", "shares", "shared", "sharing"]
    assert {frozenset(text_words(f"Police {form} risk information")) for form in forms} == {
        frozenset({"polic", "shar", "risk", "information"})
    }


def test_shared_words_are_shown_as_the_texts_write_them_not_as_stems(client, people):
    a = _review(people.home, "DHR-2021-01", "Anna")
    b = _review(people.home, "DHR-2021-02", "Beth")
    texts = [
        "Health and social care should offer integrated practice on domestic abuse.",
        "Integrated practice on domestic abuse across health and social care.",
        "Social care and health practices integrating their work on domestic abuse.",
    ]
    _recommendation(a, text=texts[0])
    _recommendation(a, text=texts[2])
    _recommendation(b, text=texts[1])

    [group] = analytics(people.home, today=TODAY)["repeated"]

    # "integrated" twice and "integrating" once; "practice" twice, "practices" once.
    assert group["words"] == [
        "abuse",
        "care",
        "domestic",
        "health",
        "integrated",
        "practice",
        "social",
    ]
    written = {word.lower() for text in texts for word in re.findall(r"[A-Za-z]+", text)}
    assert set(group["words"]) <= written
    assert not {"abus", "integrat", "practic", "car"} & set(group["words"])

    client.force_login(people.coordinator)
    page = client.get(reverse("recommendations:tracker_analytics", args=[people.home.slug]))
    assert (
        "Shared words: <strong>abuse, care, domestic, health, integrated, practice, social"
        "</strong>" in page.content.decode()
    )
