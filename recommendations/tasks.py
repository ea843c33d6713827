from celery import shared_task

from recommendations import services


# Acknowledged only when done: a worker killed mid-import hands the job to another, which
# writes it again in one transaction (see `tracker_import_run`).
@shared_task(acks_late=True, reject_on_worker_lost=True)
def import_tracker(job_id: int) -> str:
    return services.tracker_import_run(job_id=job_id).state
