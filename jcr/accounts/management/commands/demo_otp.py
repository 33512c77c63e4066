import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from jcr.accounts.models import User


class Command(BaseCommand):
    help = "Development only: print the current second-factor (TOTP) code of a person."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_otp refuses to run with DJANGO_DEBUG off: codes are never printed in production.")
        user = User.objects.filter(email=options["email"].strip().lower()).first()
        if user is None:
            raise CommandError(f"No person with the address {options['email']}.")
        auth = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if auth is None:
            raise CommandError(f"{user.email} has no authenticator app set up.")
        secret = decrypt(auth.data["secret"])
        period = mfa_settings.TOTP_PERIOD
        now = time.time()
        code = format_hotp_value(hotp_value(secret, int(now // period)))
        left = int(period - now % period)
        self.stdout.write(f"{code}  (valid for {left} more seconds)")
