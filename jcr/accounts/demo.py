"""Demo people for `make run`: one per role, each with a verified address and a second factor.

Development only: seed_demo refuses to run with DEBUG off unless told --force.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group

from jcr.accounts import roles
from jcr.accounts.models import User

DEMO_PASSWORD = "jcr-demo-portal-2026"  # noqa: S105 - demo data for local development only

DEMO_PEOPLE = [
    # (email, full name, title, role)
    ("chief@demo.jcr.example", "Dana Whitaker", "Bureau Chief", roles.BUREAU_CHIEF),
    ("outreach@demo.jcr.example", "Luis Ortega", "Outreach Coordinator", roles.OUTREACH_STAFF),
    ("outreach.supervisor@demo.jcr.example", "Grace Kim", "Outreach Supervisor", roles.OUTREACH_SUPERVISOR),
    ("prosecutor@demo.jcr.example", "Marcus Bell", "Community Prosecutor", roles.COMMUNITY_PROSECUTOR),
    ("prosecutor2@demo.jcr.example", "Ana Reyes", "Community Prosecutor", roles.COMMUNITY_PROSECUTOR),
    ("cpu.supervisor@demo.jcr.example", "Helen Park", "CPU Supervisor", roles.CPU_SUPERVISOR),
    ("analyst@demo.jcr.example", "Sam Patel", "Legislative Analyst", roles.GR_ANALYST),
    ("gr.supervisor@demo.jcr.example", "Nora Fitzgerald", "Government Relations Supervisor", roles.GR_SUPERVISOR),
    ("jti@demo.jcr.example", "Owen Brooks", "JTI Investigator", roles.JTI_STAFF),
    ("jti.chief@demo.jcr.example", "Priya Shah", "JTI Chief", roles.JTI_CHIEF),
    ("admin@demo.jcr.example", "Ada Morgan", "Portal Administrator", roles.ADMINISTRATOR),
]

RESIDENT = ("resident@demo.jcr.example", "Jordan Lee")


def person_ensure(*, email: str, full_name: str, title: str = "", staff: bool, role: str | None) -> tuple[User, bool]:
    """Create the demo person if missing (idempotent). Returns (user, created)."""
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, "title": title, "is_staff": staff}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    if role:
        user.groups.add(Group.objects.get(name=role))
    if staff and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())
        RecoveryCodes.activate(user)
    return user, created


def people_seed() -> list[User]:
    people = [
        person_ensure(email=email, full_name=name, title=title, staff=True, role=role)[0]
        for email, name, title, role in DEMO_PEOPLE
    ]
    people.append(person_ensure(email=RESIDENT[0], full_name=RESIDENT[1], staff=False, role=None)[0])
    return people
