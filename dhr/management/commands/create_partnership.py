"""`dhr-manage create_partnership --name NAME --area AREA --coordinator "Name <email>" --chair
"Name <email>"`: what the administrator's "Add a partnership" page does, for scripts: the
partnership, its coordinator and chair, and their invitations by email."""

from email.utils import parseaddr

from django.core.management.base import BaseCommand, CommandError

from dhr.forms import PartnershipCreateForm
from dhr.partnerships import partnership_create_from


class Command(BaseCommand):
    help = "Add a partnership with its coordinator and CSP chair, and email them an invitation."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="the partnership's name")
        parser.add_argument("--area", required=True, help="the council area it serves")
        parser.add_argument("--coordinator", required=True, help='"Full Name <email>"')
        parser.add_argument("--chair", required=True, help='The CSP chair: "Full Name <email>"')

    def handle(self, *args, **options):
        coordinator, chair = parseaddr(options["coordinator"]), parseaddr(options["chair"])
        form = PartnershipCreateForm(
            data={
                "name": options["name"],
                "area": options["area"],
                "coordinator_name": coordinator[0],
                "coordinator_email": coordinator[1],
                "chair_name": chair[0],
                "chair_email": chair[1],
            }
        )
        if not form.is_valid():
            problems = [message for errors in form.errors.values() for message in errors]
            raise CommandError("; ".join(problems))
        data = form.cleaned_data
        partnership = partnership_create_from(data)
        self.stdout.write(
            f"Added {partnership.name} ({partnership.slug}); invitations queued for "
            f"{data['coordinator_email']} and {data['chair_email']}."
        )
