"""Every point where an app above `reviews` adds to what a review does, declared in one place.

The apps depend one way (dhr <- reviews <- recommendations <- qa_feedback): `reviews` never
imports the apps above it, yet its dashboard shows their deadlines, its chase proposes their
escalations, its transitions wait for their records, and its whole-record export and its
retention run include their records. Each app above says what it adds in one `Extension`,
registered once from its `AppConfig.ready()`; `reviews` reads them here, by name:

- `deadline_sources()`: more deadlines for the dashboard, the lists and the chase;
- `work_sources()`: more tasks for the work queues ("Waiting for you"), beyond deadlines;
- `escalation_proposers()`: what the chase proposes beyond its reminders;
- `transition_checks(name)`: what must be true before a transition, in words;
- `transition_bars(name)`: why a transition is not the way on for this review at all, in
  words (the QA letter's outcome decides between resubmitting and approval);
- `record_parts()` and `record_scrubbers()`: the app's part of a review's whole record, and
  what of it identifies people at the end of the retention period;
- `demo_steps(name)`: what the app records on a demo review before the demo makes a
  transition (the action plan before sign-off, which needs one).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from reviews.deadlines import Deadline
    from reviews.models import Review
    from reviews.work import Item


class DeadlineSource(Protocol):
    """The app's deadlines of these reviews due by `until` (or overdue), as `Deadline`s."""

    def __call__(
        self, *, reviews: QuerySet[Review], today: date, until: date
    ) -> list[Deadline]: ...


class WorkSource(Protocol):
    """The app's tasks waiting for someone (not deadlines: those come from the deadline
    sources) in these reviews, and the tasks of these agencies wherever they are."""

    def __call__(
        self, *, reviews: QuerySet[Review], agencies: list[int], today: date
    ) -> list[Item]: ...


class EscalationProposer(Protocol):
    """Propose what the chase should escalate today; returns how many (or would, on a dry run)."""

    def __call__(self, *, today: date, dry_run: bool = False) -> int: ...


class TransitionCheck(Protocol):
    """What is still missing before the review may make a transition, in words (none: [])."""

    def __call__(self, review: Review) -> list[str]: ...


class TransitionBar(Protocol):
    """Why the review does not take this transition at all, in words (none: []). Unlike a
    check's, nothing the user records lifts a bar: a barred transition is not offered, nobody
    is shown waiting for it, and it is refused as from a state it does not leave."""

    def __call__(self, review: Review) -> list[str]: ...


class RecordParts(Protocol):
    """The app's records of the review for its whole-record zip: {path in the zip: bytes}."""

    def __call__(self, review: Review) -> dict[str, bytes]: ...


class RecordScrubber(Protocol):
    """Remove what identifies people from the app's records of the review (retention)."""

    def __call__(self, review: Review) -> None: ...


class DemoStep(Protocol):
    """Record, through the app's services, what a demo review needs before a transition."""

    def __call__(self, review: Review, *, by) -> None: ...


@dataclass(frozen=True)
class Extension:
    """What one app adds to reviews."""

    app: str
    deadlines: tuple[DeadlineSource, ...] = ()
    work: tuple[WorkSource, ...] = ()
    proposers: tuple[EscalationProposer, ...] = ()
    # Under the transition's name (`reviews.workflow.TRANSITIONS`).
    checks: Mapping[str, tuple[TransitionCheck, ...]] = field(default_factory=dict)
    bars: Mapping[str, tuple[TransitionBar, ...]] = field(default_factory=dict)
    record_parts: RecordParts | None = None
    record_scrub: RecordScrubber | None = None
    # Under the transition's name, as `checks`.
    demo: Mapping[str, tuple[DemoStep, ...]] = field(default_factory=dict)


# By app label, in the order the apps are ready (INSTALLED_APPS).
REGISTERED: dict[str, Extension] = {}


def register(extension: Extension) -> None:
    """Called once per app, from its `AppConfig.ready()`. Registering the same app again
    replaces what it registered (ready() may run twice in tests)."""
    REGISTERED[extension.app] = extension


def deadline_sources() -> list[DeadlineSource]:
    return [source for ext in REGISTERED.values() for source in ext.deadlines]


def work_sources() -> list[WorkSource]:
    return [source for ext in REGISTERED.values() for source in ext.work]


def escalation_proposers() -> list[EscalationProposer]:
    return [propose for ext in REGISTERED.values() for propose in ext.proposers]


def transition_checks(name: str) -> list[TransitionCheck]:
    return [check for ext in REGISTERED.values() for check in ext.checks.get(name, ())]


def transition_bars(name: str) -> list[TransitionBar]:
    return [bar for ext in REGISTERED.values() for bar in ext.bars.get(name, ())]


def record_parts() -> list[RecordParts]:
    return [ext.record_parts for ext in REGISTERED.values() if ext.record_parts is not None]


def record_scrubbers() -> list[RecordScrubber]:
    return [ext.record_scrub for ext in REGISTERED.values() if ext.record_scrub is not None]


def demo_steps(name: str) -> list[DemoStep]:
    return [step for ext in REGISTERED.values() for step in ext.demo.get(name, ())]
