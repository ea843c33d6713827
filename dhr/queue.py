"""Queueing a Celery task without letting a missing broker break the caller."""

import logging

from kombu.exceptions import OperationalError

from dhr.celery import app

logger = logging.getLogger(__name__)


def enqueue(task_name: str, *args, countdown: int = 0) -> bool:
    """Queue the task named `task_name` with `args`; when the broker cannot be reached, log it
    and say so. Callers queue only work that is also recorded in the database, so the next
    chase run picks it up. (By name, so that a service never imports the tasks that call it.)"""
    if task_name not in app.tasks:
        # Outside a worker, tasks modules are found only when something imports them.
        app.loader.import_default_modules()
    task = app.tasks[task_name]
    try:
        task.apply_async(args, countdown=countdown or None)
    except (OperationalError, ConnectionError, OSError) as error:
        logger.warning("Could not queue %s%s: %s", task_name, args, error)
        return False
    return True
