"""What a partnership calls its reviews: "Domestic Homicide Review" (DHR) or "Domestic Abuse Related
Death Review" (DARDR), a partnership setting (`Partnership.review_wording`).

The one place that says the words: pages, emails, letters and PDFs take them from here (templates
through the `wording` filter in `dhr_tags`, Python through `wording_of`), as does the prefix of
new references. Wording is not the rules: a review keeps the guidance version it started under
(`Review.guidance_version`, `reviews.clocks.RULES`) whatever its partnership calls it."""

from dataclasses import dataclass

from django.conf import settings
from django.db import models


class ReviewWording(models.TextChoices):
    DHR = "dhr", "Domestic Homicide Review (DHR)"
    DARDR = "dardr", "Domestic Abuse Related Death Review (DARDR)"


@dataclass(frozen=True)
class Wording:
    long: str  # "Domestic Homicide Review"
    short: str  # "DHR": also the prefix of new references, "DHR-2026-01"
    plural: str  # "Domestic Homicide Reviews"
    short_plural: str  # "DHRs"
    service_name: str  # the service's name in the header where a partnership is in context

    @property
    def service(self) -> str:
        # The DHR service keeps the name the deployment gives it (settings.SERVICE_NAME).
        return settings.SERVICE_NAME if self.short == "DHR" else self.service_name


WORDINGS = {
    ReviewWording.DHR: Wording(
        long="Domestic Homicide Review",
        short="DHR",
        plural="Domestic Homicide Reviews",
        short_plural="DHRs",
        service_name="Domestic homicide reviews",
    ),
    ReviewWording.DARDR: Wording(
        long="Domestic Abuse Related Death Review",
        short="DARDR",
        plural="Domestic Abuse Related Death Reviews",
        short_plural="DARDRs",
        service_name="Domestic abuse related death reviews",
    ),
}
DEFAULT = WORDINGS[ReviewWording.DHR]
# Every prefix a reference may carry, so that numbering goes on across a change of wording.
REFERENCE_PREFIXES = tuple(wording.short for wording in WORDINGS.values())
FORMS = ("long", "short", "plural", "short_plural", "service")


def wording_of(owner) -> Wording:
    """The words of a partnership, or of whatever belongs to one (a review, an escalation, a QA
    letter through its review); the DHR words when there is none (a page about no partnership)."""
    for _ in range(3):
        words = getattr(owner, "review_words", None)
        if isinstance(words, Wording):
            return words
        owner = getattr(owner, "partnership", None) or getattr(owner, "review", None)
        if owner is None:
            break
    return DEFAULT
