"""Rows of legal updates and policies for tests, made through the services where they have rules."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

from integrity.policies import services
from integrity.policies.models import Bulletin, DocumentStatus, Policy, PolicyVersion

_numbers = itertools.count(1)


def policy(*, is_public: bool = False, **fields) -> Policy:
    n = next(_numbers)
    values = {"title": f"Policy {n}", "slug": f"policy-{n}", "number": f"P-{n:04d}", "is_public": is_public}
    return Policy.objects.create(**(values | fields))


def version(
    *, policy: Policy, body: str = "The text.", published: bool = True, effective_on: date | None = None, actor=None
) -> PolicyVersion:
    """A version of `policy`, numbered next; published (superseding the previous) unless told."""
    from jcr.core.markdown import markdown_render

    last = policy.versions.order_by("-number").first()
    previous = policy.versions.filter(status=DocumentStatus.PUBLISHED).order_by("-number").first()
    v = PolicyVersion.objects.create(
        policy=policy,
        number=(last.number + 1) if last else 1,
        body=body,
        body_html=markdown_render(body),
        effective_on=effective_on or timezone.localdate() - timedelta(days=1),
        status=DocumentStatus.PUBLISHED if published else DocumentStatus.DRAFT,
        published_at=timezone.now() if published else None,
        published_by=actor,
        supersedes=previous if published else None,
    )
    return v


def bulletin(*, published: bool = False, groups: list[str] | None = None, actor=None, **fields) -> Bulletin:
    """A bulletin to all staff (or to the role groups named); published through the service
    when `actor` (who must hold the publish permission) is given with published=True."""
    from jcr.core.markdown import markdown_render

    n = next(_numbers)
    values = {"title": f"Legal update {n}", "summary": f"Summary {n}", "body": f"Body **{n}**"}
    values |= fields
    b = Bulletin(**values)
    if groups:
        b.audience = Bulletin.Audience.UNITS
    b.body_html = markdown_render(b.body)
    b.save()
    if groups:
        b.audience_groups.set(Group.objects.filter(name__in=groups))
    if published:
        if actor is not None:
            return services.bulletin_publish(bulletin=b, actor=actor)
        return _publish_without_mail(b)
    return b


def _publish_without_mail(b: Bulletin) -> Bulletin:
    from integrity.policies import selectors as sel
    from integrity.policies.models import BulletinRecipient

    b.status, b.published_at = DocumentStatus.PUBLISHED, timezone.now()
    b.save()
    BulletinRecipient.objects.bulk_create(
        [BulletinRecipient(bulletin=b, person=p) for p in sel.bulletin_audience(bulletin=b)]
    )
    return b
