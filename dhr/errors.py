"""The refusals every app raises, and how a page turns them into its answer.

A service or a state table raises `TransitionError` when a business rule refuses a change (the
record is in the wrong state, something is missing): the message is written for the user, and a
form shows it with the input kept. `NotAllowed` is the same refusal for the user's role. A page
that cannot be used at all raises Django's `PermissionDenied` (403): `StageClosed` is that answer
when the record has moved past the stage the page changes.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied


class TransitionError(Exception):
    """A change that cannot happen now; the message is written for the user."""


class NotAllowed(TransitionError):
    """The user's role may not make this change."""


class StageClosed(PermissionDenied):
    """The record has moved past the stage this page changes."""


def allowed(guard: Callable[..., object], *args, **kwargs) -> bool:
    """Whether `guard(*args, **kwargs)` lets the change through: for a page deciding what to
    offer (a button, a link), asking the same guard the service will ask."""
    try:
        guard(*args, **kwargs)
    except TransitionError:
        return False
    return True


def guarded(call: Callable[..., object], *args, **kwargs):
    """`call(*args, **kwargs)` (a guard, or a service that guards itself), its refusal as the
    page's answer, a 403: the role's refusal as is, any other as `StageClosed`."""
    try:
        return call(*args, **kwargs)
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except TransitionError as error:
        raise StageClosed(str(error)) from error
