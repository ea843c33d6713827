"""`python manage.py seed_national [--partnerships 350 --reviews 3000 --recommendations 30000]`:
fictional data of a national service's shape, in bulk (see `qa_feedback.seed`)."""

import time

from django.core.management.base import BaseCommand, CommandError

from qa_feedback.seed import PASSWORD, seed_national


class Command(BaseCommand):
    help = "Load fictional data of national size: partnerships, people, reviews, plans, updates."

    def add_arguments(self, parser):
        parser.add_argument("--partnerships", type=int, default=350)
        parser.add_argument("--reviews", type=int, default=3000)
        parser.add_argument("--recommendations", type=int, default=30000)
        parser.add_argument("--actions-per-recommendation", type=int, default=2)
        parser.add_argument("--updates-per-action", type=int, default=4, help="on average")
        parser.add_argument("--seed", type=int, default=1, help="the same seed, the same data")

    def handle(self, *args, **options):
        if min(options["partnerships"], options["reviews"]) < 1 or options["recommendations"] < 0:
            raise CommandError("Give at least one partnership and one review")
        started = time.monotonic()
        try:
            written = seed_national(
                partnerships=options["partnerships"],
                reviews=options["reviews"],
                recommendations=options["recommendations"],
                actions_per=options["actions_per_recommendation"],
                updates_per=options["updates_per_action"],
                seed=options["seed"],
                say=self.stdout.write,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        seconds = time.monotonic() - started
        self.stdout.write(
            f"Seeded in {seconds:.0f} s: "
            + ", ".join(f"{count:,} {name.replace('_', ' ')}" for name, count in written.items())
            + f". Every account's password: {PASSWORD}"
        )
