"""Manage the API keys of Open311 client applications.

manage.py open311_key create NAME [--email E]   prints the new key (shown only this once)
manage.py open311_key revoke PREFIX             the key stops working at once
manage.py open311_key list
"""

from django.core.management.base import BaseCommand, CommandError

from prosecution.open311.keys import open311_client_create, open311_client_revoke
from prosecution.open311.models import Open311Client


class Command(BaseCommand):
    help = "Create, revoke and list the API keys of Open311 client applications."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a client and print its new key once.")
        create.add_argument("name")
        create.add_argument("--email", default="")
        revoke = sub.add_parser("revoke", help="Revoke the key starting with PREFIX.")
        revoke.add_argument("prefix")
        sub.add_parser("list", help="List the clients.")

    def handle(self, *args, action, **options):
        if action == "create":
            client, key = open311_client_create(name=options["name"], contact_email=options["email"])
            self.stdout.write(f"Created Open311 client {client.name!r} (prefix {client.key_prefix}).")
            self.stdout.write("Its API key (shown only now, store it safely):")
            self.stdout.write(key)
        elif action == "revoke":
            client = Open311Client.objects.filter(key_prefix=options["prefix"]).first()
            if client is None:
                raise CommandError(f"no Open311 client has the key prefix {options['prefix']!r}")
            open311_client_revoke(client=client)
            self.stdout.write(f"Revoked the key of {client.name!r} ({client.key_prefix}).")
        else:
            for client in Open311Client.objects.all():
                state = "active" if client.is_usable else "revoked"
                used = client.last_used_at.isoformat(timespec="seconds") if client.last_used_at else "never used"
                self.stdout.write(f"{client.key_prefix}  {state:8}  {used:25}  {client.name}  {client.contact_email}")
