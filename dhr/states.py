"""A record's states and the moves between them, as one table that services and pages both ask.

The review's own table, with the roles and what must be recorded before each move, is
`reviews.workflow.TRANSITIONS`; the smaller records of the other apps (an escalation, an
agency's update, a QA letter, a publication bundle) each have a `StateTable` beside their
guards. A service calls `table.move(record, name)` (which refuses a move from the wrong state
with the move's own words, and sets the new state); a page asks `table.allows(record, name)`
instead of listing states itself. Who may make the move stays with the app's guards.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from dhr.errors import TransitionError


@dataclass(frozen=True)
class Move:
    name: str
    sources: frozenset[str]
    # The state after the move; None when the move removes the record (a letter discarded).
    target: str | None
    # Why the move cannot be made from the record's state: "{state}" is the state's label.
    refusal: str


class StateTable:
    def __init__(self, field: str, moves: Iterable[Move]):
        self.field = field
        self.moves = {move.name: move for move in moves}

    def state_of(self, record) -> str:
        return getattr(record, self.field)

    def check(self, record, name: str) -> Move:
        """The move, or TransitionError when the record's state is not one it leaves from."""
        move = self.moves[name]
        if self.state_of(record) not in move.sources:
            label = getattr(record, f"get_{self.field}_display")().lower()
            raise TransitionError(move.refusal.format(state=label))
        return move

    def allows(self, record, name: str) -> bool:
        return self.state_of(record) in self.moves[name].sources

    def move(self, record, name: str) -> Move:
        """Check the move and set the record's new state (the caller saves it)."""
        move = self.check(record, name)
        if move.target is not None:
            setattr(record, self.field, move.target)
        return move

    def open_states(self) -> frozenset[str]:
        """The states some move leaves from."""
        return frozenset().union(*(move.sources for move in self.moves.values()))
