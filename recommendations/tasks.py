from celery import shared_task

from dhr.jobs import file_job_run
from recommendations import exports, services


# Acknowledged only when done: a worker killed mid-import hands the job to another, which
# writes it again in one transaction (see `tracker_import_run`).
@shared_task(acks_late=True, reject_on_worker_lost=True)
def import_tracker(job_id: int) -> str:
    return services.tracker_import_run(job_id=job_id).state


@shared_task(acks_late=True, reject_on_worker_lost=True)
def make_tracker_pdf(job_id: int) -> str:
    return file_job_run(job_id, exports.tracker_pdf_job).state


@shared_task(acks_late=True, reject_on_worker_lost=True)
def write_escalation_letter(job_id: int) -> str:
    """An approved escalation's letter (see `escalation_letter_write`)."""
    return file_job_run(job_id, services.escalation_letter_write).state
