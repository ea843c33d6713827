"""Records a test module builds once (see conftest.py, `module_transaction`), handed to each
test as new instances."""

from collections import defaultdict
from types import SimpleNamespace

from django.db.models import Model


def refetched(kept: dict | SimpleNamespace) -> dict | SimpleNamespace:
    """The rows `kept` holds (a dict or a namespace of them), read again as new instances (one
    query per model), so that what a test changes or caches on them in memory stays with that
    test; values that are not rows are passed on."""
    values = kept if isinstance(kept, dict) else vars(kept)
    pks = defaultdict(set)
    for value in values.values():
        if isinstance(value, Model):
            pks[type(value)].add(value.pk)
    rows = {model: model._base_manager.in_bulk(keys) for model, keys in pks.items()}
    read = {
        name: rows[type(value)][value.pk] if isinstance(value, Model) else value
        for name, value in values.items()
    }
    return read if isinstance(kept, dict) else SimpleNamespace(**read)
