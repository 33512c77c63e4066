from django.core.management.base import BaseCommand, CommandError

from jcr.accounts import services


class Command(BaseCommand):
    help = (
        "Unlock an account locked after repeated wrong second-factor codes, from the server: the way "
        "out when no administrator can sign in. Audited; the person is e-mailed."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="the e-mail address of the locked account")

    def handle(self, *args, **options):
        email = options["email"].strip().lower()
        lock = services.account_lock_active(email=email)
        if lock is None:
            raise CommandError(f"{email} is not locked.")
        services.account_unlock(lock=lock, actor=None, by="manage.py unlock_account")
        self.stdout.write(self.style.SUCCESS(f"Unlocked {email}."))
