"""`python manage.py demo_code EMAIL`: the code a demo account's authenticator app would show
now, for trying the service after `make run`. Refused unless DEBUG is on: no deployment has it."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from dhr import two_factor
from dhr.models import User
from dhr.sign_in import email_key


class Command(BaseCommand):
    help = "Print a demo account's current two-factor code (DEBUG only)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_code works only with DEBUG on (the demo, `make run`)")
        user = User.objects.filter(email=email_key(options["email"])).first()
        device = two_factor.device_of(user) if user else None
        if device is None:
            raise CommandError(f"{options['email']} has no authenticator app set up")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
