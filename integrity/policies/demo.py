"""Demo legal updates and office policies for `manage.py seed_demo` (idempotent).

Rows are written directly, without e-mails: three bulletins (two published, one with a Spanish
summary; one still a draft), two policies with two versions each (one public), and
acknowledgements by some of the demo staff, so that the acknowledgement lists and the
"still to acknowledge" pages show both cases.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from integrity.policies import selectors
from integrity.policies.models import (
    Bulletin,
    BulletinRecipient,
    DocumentStatus,
    Policy,
    PolicyAcknowledgement,
    PolicyVersion,
)
from jcr.accounts import roles
from jcr.accounts.models import User
from jcr.core.markdown import markdown_render

DISCOVERY_V1 = """## Purpose

Every deputy discloses to the defense all evidence favorable to the accused, as required by
*Brady v. Maryland* and Penal Code section 1054.1.

## Duties

- Review the disclosure index before each trial.
- Disclose impeachment material about officers within 30 days of learning of it.
- Record each disclosure in the case's disclosure log.
"""

DISCOVERY_V2 = """## Purpose

Every deputy discloses to the defense all evidence favorable to the accused, as required by
*Brady v. Maryland* and Penal Code section 1054.1, and does so as early as possible.

## Duties

- Review the disclosure index before each preliminary hearing and each trial.
- Disclose impeachment material about officers within 15 days of learning of it.
- Record each disclosure in the case's disclosure log.
- Ask the Justice, Training & Integrity Unit when in doubt.
"""

SOCIAL_V1 = """## Scope

This protocol covers personal social media accounts of deputies and staff.

## Rules

- Do not comment on pending cases.
- Do not identify victims or witnesses.
"""

SOCIAL_V2 = """## Scope

This protocol covers personal and official social media accounts of deputies and staff.

## Rules

- Do not comment on pending cases.
- Do not identify victims, witnesses or jurors.
- Refer press questions to the Public Information Officer.
"""

POLICIES = [
    # slug, number, title, title_es, public, [(body, days ago effective, summary)]
    (
        "discovery-and-brady-disclosure",
        "JTI-2026-01",
        "Discovery and Brady disclosure",
        "Divulgación de pruebas (Brady)",
        True,
        [(DISCOVERY_V1, 400, "First issue."), (DISCOVERY_V2, 20, "Earlier disclosure; preliminary hearings.")],
    ),
    (
        "social-media-protocol",
        "JTI-2026-02",
        "Social media protocol",
        "",
        False,
        [(SOCIAL_V1, 300, "First issue."), (SOCIAL_V2, 5, "Official accounts, jurors, press questions.")],
    ),
]

BULLETINS = [
    # title, summary, summary_es, body, audience groups (None: all), days ago (None: draft), bill (an identifier
    # of Government Relations' demo bills, or other text), policy slug
    (
        "Earlier Brady disclosure: what changes on the 1st",
        "The revised discovery policy asks for disclosure before preliminary hearings and within 15 days.",
        "La política revisada pide divulgar antes de las audiencias preliminares y en un plazo de 15 días.",
        "The revised **Discovery and Brady disclosure** policy is in effect.\n\n"
        "- Disclose before each preliminary hearing.\n- Officer impeachment material: within 15 days.\n",
        None,
        12,
        "",
        "discovery-and-brady-disclosure",
    ),
    (
        "A bill on pretrial diversion for mental health treatment",
        "A bill widens eligibility for mental health diversion before trial; community prosecutors should review it.",
        "",
        "The Assembly is considering a bill widening **pretrial diversion** for mental health treatment.\n\n"
        "Read the [bill text](https://leginfo.legislature.ca.gov/) and discuss eligible cases with your "
        "supervisor.",
        [roles.COMMUNITY_PROSECUTOR, roles.CPU_SUPERVISOR],
        3,
        "AB 1012",
        "",
    ),
    (
        "Draft: appellate update on search of cell phones",
        "A summary of the latest appellate decision on cell phone searches.",
        "",
        "A draft waiting for the JTI Chief.",
        None,
        None,
        "",
        "",
    ),
]

# Who has acknowledged what (e-mails of demo staff).
ACKNOWLEDGERS = ["prosecutor@demo.jcr.example", "jti@demo.jcr.example", "chief@demo.jcr.example"]


def seed() -> None:
    author = User.objects.filter(email="jti@demo.jcr.example").first()
    chief = User.objects.filter(email="jti.chief@demo.jcr.example").first()
    with transaction.atomic():
        policies = _policies(author, chief)
        _bulletins(author, chief, policies)


def _policies(author, chief) -> dict[str, Policy]:
    today = timezone.localdate()
    now = timezone.now()
    result = {}
    for slug, number, title, title_es, public, versions in POLICIES:
        policy, created = Policy.objects.get_or_create(
            slug=slug,
            defaults={
                "number": number,
                "title": title,
                "title_es": title_es,
                "is_public": public,
                "created_by": author,
            },
        )
        result[slug] = policy
        if not created:
            continue
        previous = None
        for n, (body, days, summary) in enumerate(versions, start=1):
            previous = PolicyVersion.objects.create(
                policy=policy,
                number=n,
                body=body,
                body_html=markdown_render(body),
                change_summary=summary,
                effective_on=today - timedelta(days=days),
                status=DocumentStatus.PUBLISHED,
                published_at=now - timedelta(days=days + 7),
                published_by=chief,
                supersedes=previous,
            )
        for email in ACKNOWLEDGERS[:2]:
            person = User.objects.filter(email=email).first()
            if person is not None:
                PolicyAcknowledgement.objects.get_or_create(
                    version=previous, person=person, defaults={"acknowledged_at": now - timedelta(days=1)}
                )
    return result


def _bulletins(author, chief, policies) -> None:
    now = timezone.now()
    for title, summary, summary_es, body, groups, days, bill, policy_slug in BULLETINS:
        if Bulletin.objects.filter(title=title).exists():
            continue
        # Government Relations' demo bill when it is there (its demo runs first), else the text.
        bill_record = selectors.bill_candidates(bill).first() if bill else None
        bulletin = Bulletin.objects.create(
            title=title,
            summary=summary,
            summary_es=summary_es,
            body=body,
            body_html=markdown_render(body),
            audience=Bulletin.Audience.UNITS if groups else Bulletin.Audience.ALL,
            bill=bill_record,
            other_reference="" if bill_record else bill,
            other_reference_url="https://leginfo.legislature.ca.gov/" if bill and not bill_record else "",
            created_by=author,
        )
        if policy_slug in policies:
            bulletin.policies.set([policies[policy_slug]])
        if groups:
            bulletin.audience_groups.set(Group.objects.filter(name__in=groups))
        if days is None:
            continue
        Bulletin.objects.filter(pk=bulletin.pk).update(
            status=DocumentStatus.PUBLISHED, published_at=now - timedelta(days=days), published_by=chief
        )
        people = list(selectors.bulletin_audience(bulletin=bulletin))
        BulletinRecipient.objects.bulk_create(
            [
                BulletinRecipient(
                    bulletin=bulletin,
                    person=p,
                    acknowledged_at=now - timedelta(days=max(days - 1, 0)) if p.email in ACKNOWLEDGERS else None,
                )
                for p in people
            ]
        )
