"""`python manage.py build_bundle REVIEW_REFERENCE --out FILE [--draft]`: the publishable PDF,
built by the same service as the page (and kept as a version of the review's bundle)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dhr.models import Role, User
from qa_feedback import services
from qa_feedback.models import PublicationBundle
from reviews.models import Review


class Command(BaseCommand):
    help = "Build a review's publishable PDF and write it to a file."

    def add_arguments(self, parser):
        parser.add_argument("reference", help="the review's reference, like DHR-2025-04")
        parser.add_argument("--out", required=True, help="where to write the PDF")
        parser.add_argument("--draft", action="store_true", help="a draft, marked as such")

    def handle(self, *args, **options):
        review = Review.objects.filter(reference=options["reference"]).first()
        if review is None:
            raise CommandError(f"No review has the reference {options['reference']}")
        by = (
            User.objects.filter(
                memberships__partnership=review.partnership,
                memberships__role=Role.COORDINATOR,
            ).first()
            or User.objects.filter(is_superuser=True).first()
        )
        if by is None:
            raise CommandError("The review's partnership has no coordinator to build it as")
        latest = review.bundles.order_by("-number").first()
        bundle = PublicationBundle.objects.create(
            review=review,
            number=(latest.number if latest else 0) + 1,
            final=not options["draft"],
            requested_by=by,
        )
        bundle = services.bundle_build(bundle_id=bundle.pk)
        for finding in bundle.findings.all():
            self.stderr.write(
                f"Page {finding.page} ({finding.part}): {finding.what}: {finding.context}"
            )
        if bundle.state != PublicationBundle.State.DONE:
            raise CommandError(bundle.message)
        for warning in bundle.warnings:
            self.stderr.write(f"Warning: {warning}")
        out = Path(options["out"])
        with bundle.file.open("rb") as built:
            out.write_bytes(built.read())
        self.stdout.write(
            f"{bundle}: {bundle.pages} pages, {bundle.size / 1e6:.2f} MB, written to {out}"
        )
