"""Quality-gate hooks of legal updates and policies (combined into integrity/tests/hooks.py)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from tests.support import Route, Sample

# Role groups that receive the sample bulletin; every other staff persona is outside it.
SAMPLE_AUDIENCE = ("JTI Staff", "JTI Chief")
OUTSIDE = frozenset(
    {
        "bureau_chief", "outreach_staff", "outreach_supervisor", "community_prosecutor", "prosecutor_other_area",
        "cpu_supervisor", "gr_analyst", "gr_supervisor", "administrator",
    }
)  # fmt: skip


def admin_rows_ensure() -> None:
    """One row of each model for the admin's object pages."""
    from django.utils import timezone

    from integrity.policies.models import Bulletin, BulletinRecipient, BulletinReminder, PolicyAcknowledgement
    from integrity.policies.tests import factories as f
    from jcr.accounts.models import User

    version = _published_version()
    person = User.objects.filter(is_staff=True).order_by("pk").first()
    if not Bulletin.objects.filter(status="published").exists():
        f.bulletin(published=True)
    if person is None:
        return
    if not PolicyAcknowledgement.objects.exists():
        PolicyAcknowledgement.objects.create(version=version, person=person, acknowledged_at=timezone.now())
    if not BulletinRecipient.objects.exists():
        BulletinRecipient.objects.create(bulletin=Bulletin.objects.order_by("pk").first(), person=person)
    if not BulletinReminder.objects.exists():
        BulletinReminder.objects.create(
            recipient=BulletinRecipient.objects.order_by("pk").first(), sequence=1, sent_at=timezone.now()
        )


def seed_private_markers(*, personas, marker) -> list[str]:
    """Drafts (bulletins, policy versions), internal policies and a draft of a public policy."""
    from integrity.policies.tests import factories as f

    draft_bulletin = marker("bulletin-draft")
    f.bulletin(title=draft_bulletin, body=f"{draft_bulletin} body")
    sent_bulletin = marker("bulletin-published")
    f.bulletin(published=True, title=sent_bulletin, summary=sent_bulletin)
    internal_title, internal_text = marker("policy-internal-title"), marker("policy-internal-text")
    internal = f.policy(title=internal_title)
    f.version(policy=internal, body=internal_text)
    public = f.policy(is_public=True, title="A public policy")
    f.version(policy=public, body="The public text in effect.")
    draft_text = marker("policy-public-draft")
    f.version(policy=public, body=draft_text, published=False)
    future_text = marker("policy-public-future")
    from datetime import timedelta

    from django.utils import timezone

    f.version(policy=public, body=future_text, effective_on=timezone.localdate() + timedelta(days=30))
    return [draft_bulletin, sent_bulletin, internal_title, internal_text, draft_text, future_text]


def _published_version():
    from integrity.policies.models import PolicyVersion
    from integrity.policies.tests import factories as f

    version = PolicyVersion.objects.filter(status="published", policy__is_public=True).order_by("pk").first()
    if version is None:
        policy = f.policy(is_public=True)
        f.version(policy=policy, body="First text of the policy.")
        version = f.version(policy=policy, body="Second text of the policy.")
    return version


def _bulletin_sample(personas, route: Route) -> Sample:
    from integrity.policies.models import Bulletin
    from integrity.policies.tests import factories as f

    bulletin = Bulletin.objects.filter(
        status="published", title="Sample legal update for the JTI units"
    ).first() or f.bulletin(published=True, groups=list(SAMPLE_AUDIENCE), title="Sample legal update for the JTI units")
    return Sample(kwargs={"public_id": bulletin.public_id}, outside=OUTSIDE)


def _bulletin_post_sample(personas, route: Route) -> Sample:
    return Sample(kwargs=_bulletin_sample(personas, route).kwargs)


def _bulletin_draft_sample(personas, route: Route) -> Sample:
    from integrity.policies.tests import factories as f

    return Sample(kwargs={"public_id": f.bulletin().public_id})


def _policy_sample(personas, route: Route) -> Sample:
    return Sample(kwargs={"slug": _published_version().policy.slug})


def _version_sample(personas, route: Route) -> Sample:
    version = _published_version()
    return Sample(kwargs={"slug": version.policy.slug, "number": version.number})


def _version_draft_sample(personas, route: Route) -> Sample:
    from integrity.policies.tests import factories as f

    version = _published_version()
    draft = f.version(policy=version.policy, body="A draft.", published=False)
    return Sample(kwargs={"slug": version.policy.slug, "number": draft.number})


def _diff_sample(personas, route: Route) -> Sample:
    version = _published_version()
    return Sample(kwargs={"slug": version.policy.slug, "old": version.number - 1, "new": version.number})


def route_samples() -> dict[str, Callable[[Mapping[str, object], Route], Sample]]:
    return {
        "integrity:policy_public_detail": _policy_sample,
        "integrity:bulletin_detail": _bulletin_sample,
        "integrity:bulletin_acknowledge": _bulletin_post_sample,
        "integrity:bulletin_edit": _bulletin_draft_sample,
        "integrity:bulletin_publish": _bulletin_draft_sample,
        "integrity:policy_detail": _policy_sample,
        "integrity:policy_edit": _policy_sample,
        "integrity:policy_version_create": _policy_sample,
        "integrity:policy_version": _version_sample,
        "integrity:policy_version_acknowledge": _version_sample,
        "integrity:policy_version_edit": _version_draft_sample,
        "integrity:policy_version_publish": _version_draft_sample,
        "integrity:policy_diff": _diff_sample,
    }
