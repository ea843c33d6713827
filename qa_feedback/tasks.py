from celery import shared_task

from qa_feedback import services


# Acknowledged only when done: a worker killed mid-build hands the job to another, which
# builds it again (see `bundle_build`).
@shared_task(acks_late=True, reject_on_worker_lost=True)
def build_bundle(bundle_id: int) -> str:
    return services.bundle_build(bundle_id=bundle_id).state
