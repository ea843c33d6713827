from django.core.management.base import BaseCommand
from django.utils import timezone

from reviews.digest import digest_send


class Command(BaseCommand):
    help = "Email each person what is waiting for them today (once a day; none if nothing is)."

    def handle(self, *args, **options):
        queued = digest_send(today=timezone.localdate())
        self.stdout.write(f"Digests queued: {queued}")
