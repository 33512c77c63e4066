"""Office policies: versioning, acknowledgement per version, differences, public pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from integrity.policies import selectors, services
from integrity.policies.models import DocumentStatus, Policy, PolicyAcknowledgement, PolicyVersion
from integrity.policies.tests import factories as f
from jcr.core.models import AuditEntry
from tests.support import assert_max_queries

pytestmark = pytest.mark.django_db


def _draft(policy, actor, body="Text", days=0):
    return services.policy_version_save(
        version=PolicyVersion(policy=policy, body=body, effective_on=timezone.localdate() + timedelta(days=days)),
        actor=actor,
    )


def test_versions_are_numbered_and_publishing_supersedes(jti_staff, jti_chief):
    policy = services.policy_save(policy=Policy(title="Charging", slug="charging", number="JTI-1"), actor=jti_staff)
    v1 = _draft(policy, jti_staff, "First **text**", days=-10)
    v2 = _draft(policy, jti_staff, "Second text", days=-1)
    assert (v1.number, v2.number) == (1, 2)
    assert v1.status == DocumentStatus.DRAFT
    assert "<strong>text</strong>" in v1.body_html
    assert selectors.policy_current_version(policy=policy) is None  # drafts are never current
    services.policy_version_publish(version=v1, actor=jti_chief)
    services.policy_version_publish(version=v2, actor=jti_chief)
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert v1.supersedes is None
    assert v2.supersedes == v1
    assert selectors.policy_current_version(policy=policy) == v2
    assert AuditEntry.objects.filter(action="integrity.policy_version.publish").count() == 2


def test_publish_needs_the_chief_and_a_draft(jti_staff, jti_chief):
    policy = f.policy()
    v = _draft(policy, jti_staff)
    with pytest.raises(PermissionDenied):
        services.policy_version_publish(version=v, actor=jti_staff)
    services.policy_version_publish(version=v, actor=jti_chief)
    with pytest.raises(ValidationError):
        services.policy_version_publish(version=v, actor=jti_chief)
    v.body = "Changed after publication"
    with pytest.raises(ValidationError):
        services.policy_version_save(version=v, actor=jti_staff)


def test_current_version_is_latest_effective_published(jti_staff, jti_chief):
    policy = f.policy()
    today = timezone.localdate()
    v1 = f.version(policy=policy, effective_on=today - timedelta(days=30))
    v2 = f.version(policy=policy, effective_on=today + timedelta(days=10))  # published, not yet in effect
    f.version(policy=policy, published=False, effective_on=today - timedelta(days=1))  # a draft
    assert v2.supersedes == v1
    assert selectors.policy_current_version(policy=policy) == v1
    assert selectors.policy_current_version(policy=policy, today=today + timedelta(days=10)) == v2
    assert selectors.policy_current_version(policy=policy, today=today - timedelta(days=31)) is None


def test_effective_date_cannot_precede_the_superseded_version(jti_staff, jti_chief):
    policy = f.policy()
    f.version(policy=policy, effective_on=timezone.localdate())
    v = _draft(policy, jti_staff, days=-5)
    with pytest.raises(ValidationError):
        services.policy_version_publish(version=v, actor=jti_chief)
    v.refresh_from_db()
    assert v.status == DocumentStatus.DRAFT


def test_acknowledge_per_version_idempotent(jti_staff, community_prosecutor, resident_user):
    policy = f.policy()
    v1 = f.version(policy=policy)
    first = services.policy_version_acknowledge(version=v1, person=community_prosecutor)
    again = services.policy_version_acknowledge(version=v1, person=community_prosecutor)
    assert first.pk == again.pk
    assert PolicyAcknowledgement.objects.count() == 1
    assert selectors.acknowledgements_pending(user=community_prosecutor)["versions"] == []
    v2 = f.version(policy=policy)  # a new version needs a new acknowledgement
    assert selectors.acknowledgements_pending(user=community_prosecutor)["versions"] == [v2]
    draft = f.version(policy=policy, published=False)
    with pytest.raises(PermissionDenied):
        services.policy_version_acknowledge(version=draft, person=community_prosecutor)
    with pytest.raises(PermissionDenied):
        services.policy_version_acknowledge(version=v2, person=resident_user)


def test_pending_lists_bulletins_and_versions(jti_chief, community_prosecutor):
    b = f.bulletin(published=True)
    p = f.policy()
    v = f.version(policy=p)
    pending = selectors.acknowledgements_pending(user=community_prosecutor)
    assert pending["bulletins"] == [b]
    assert pending["versions"] == [v]
    assert pending["count"] == 2
    services.bulletin_acknowledge(bulletin=b, person=community_prosecutor)
    services.policy_version_acknowledge(version=v, person=community_prosecutor)
    assert selectors.acknowledgements_pending(user=community_prosecutor)["count"] == 0


def test_diff_marks_insertions_and_deletions_accessibly():
    html = selectors.version_diff_html(
        old="Deputies must file <b> within 10 days.", new="Deputies shall file within 5 days."
    )
    assert "<del>" in html
    assert "<ins>" in html
    assert "[-must]" in html
    assert "[+shall]" in html
    assert "[-10]" in html
    assert "[+5]" in html
    assert "removed:" in html
    assert "added:" in html
    assert "&lt;b&gt;" in html  # text is escaped
    assert "style=" not in html
    assert selectors.version_diff_stats(old="a b c", new="a x c d") == {"added": 2, "removed": 1}
    assert "<br>" in selectors.version_diff_html(old="one\ntwo", new="one\nthree")


def test_diff_page(client_for, community_prosecutor):
    policy = f.policy()
    f.version(policy=policy, body="Old rule applies.")
    f.version(policy=policy, body="New rule applies.")
    url = reverse("integrity:policy_diff", kwargs={"slug": policy.slug, "old": 1, "new": 2})
    page = client_for(community_prosecutor).get(url)
    assert page.status_code == 200
    assert "[-Old]" in page.content.decode()
    draft = f.version(policy=policy, body="Secret draft", published=False)
    url = reverse("integrity:policy_diff", kwargs={"slug": policy.slug, "old": 2, "new": draft.number})
    assert client_for(community_prosecutor).get(url).status_code == 404


def test_staff_pages_hide_drafts_from_readers(client_for, jti_staff, community_prosecutor):
    policy = f.policy(title="Internal charging")
    draft = f.version(policy=policy, body="Draft only", published=False)
    kwargs = {"slug": policy.slug, "number": draft.number}
    reader = client_for(community_prosecutor)
    assert reader.get(reverse("integrity:policy_version", kwargs=kwargs)).status_code == 404
    assert reader.get(reverse("integrity:policy_detail", kwargs={"slug": policy.slug})).status_code == 404
    assert "Internal charging" not in reader.get(reverse("integrity:policy_list")).content.decode()
    writer = client_for(jti_staff)
    assert writer.get(reverse("integrity:policy_version", kwargs=kwargs)).status_code == 200
    assert reader.post(reverse("integrity:policy_version_acknowledge", kwargs=kwargs)).status_code == 404


def test_write_publish_acknowledge_through_pages(client_for, jti_staff, jti_chief, community_prosecutor):
    writer = client_for(jti_staff)
    response = writer.post(
        reverse("integrity:policy_create"),
        {"title": "Body-worn cameras", "number": "JTI-7", "slug": "body-worn-cameras", "is_public": "on"},
    )
    assert response.status_code == 302
    create = reverse("integrity:policy_version_create", kwargs={"slug": "body-worn-cameras"})
    day = timezone.localdate().isoformat()
    assert writer.post(create, {"effective_on": day, "body": "Keep footage <script>x</script>"}).status_code == 302
    version = PolicyVersion.objects.get(policy__slug="body-worn-cameras", number=1)
    assert "<script" not in version.body_html
    kwargs = {"slug": "body-worn-cameras", "number": 1}
    publish = reverse("integrity:policy_version_publish", kwargs=kwargs)
    assert writer.post(publish).status_code == 403
    assert client_for(jti_chief).post(publish).status_code == 302
    version.refresh_from_db()
    assert version.status == DocumentStatus.PUBLISHED
    ack = reverse("integrity:policy_version_acknowledge", kwargs=kwargs)
    reader = client_for(community_prosecutor)
    assert reader.post(ack).status_code == 302
    assert reader.post(ack).status_code == 302
    assert PolicyAcknowledgement.objects.filter(version=version, person=community_prosecutor).count() == 1
    page = writer.get(reverse("integrity:policy_version", kwargs=kwargs)).content.decode()
    assert community_prosecutor.full_name in page
    assert writer.get(reverse("integrity:policy_version_edit", kwargs=kwargs)).status_code == 403


# --- Public pages --------------------------------------------------------------------------


def test_public_pages_show_only_public_policies_current_version(client):
    public = f.policy(is_public=True, title="Use of force review", title_es="Revisión del uso de la fuerza")
    f.version(policy=public, body="Old public text", effective_on=timezone.localdate() - timedelta(days=20))
    f.version(policy=public, body="Current public text")
    f.version(policy=public, body="Draft public text", published=False)
    f.version(policy=public, body="Future public text", effective_on=timezone.localdate() + timedelta(days=5))
    internal = f.policy(title="Internal staffing")
    f.version(policy=internal, body="Internal text")
    listing = client.get(reverse("integrity:policy_public_list")).content.decode()
    assert "Use of force review" in listing
    assert "Internal staffing" not in listing
    detail = client.get(reverse("integrity:policy_public_detail", kwargs={"slug": public.slug})).content.decode()
    assert "Current public text" in detail
    for hidden in ("Old public text", "Draft public text", "Future public text"):
        assert hidden not in detail
    assert client.get(reverse("integrity:policy_public_detail", kwargs={"slug": internal.slug})).status_code == 404
    with translation.override("es"):
        url = reverse("integrity:policy_public_list")
    assert "Revisión del uso de la fuerza" in client.get(url).content.decode()


def test_public_policy_without_version_in_effect_is_not_shown(client):
    pending = f.policy(is_public=True, title="Coming soon")
    f.version(policy=pending, effective_on=timezone.localdate() + timedelta(days=3))
    assert "Coming soon" not in client.get(reverse("integrity:policy_public_list")).content.decode()
    assert client.get(reverse("integrity:policy_public_detail", kwargs={"slug": pending.slug})).status_code == 404


def test_public_pages_query_counts_constant(client, settings):
    settings.JCR_PUBLIC_CACHE_SECONDS = 0
    first = f.policy(is_public=True)
    f.version(policy=first)
    url = reverse("integrity:policy_public_list")
    with assert_max_queries(8):
        client.get(url)
    for _ in range(12):
        p = f.policy(is_public=True)
        f.version(policy=p)
        f.version(policy=p)
    with assert_max_queries(8) as captured:
        assert client.get(url).status_code == 200
    few = len(captured)
    with assert_max_queries(8):
        assert client.get(reverse("integrity:policy_public_detail", kwargs={"slug": first.slug})).status_code == 200
    assert few <= 8


def test_staff_policy_pages_query_counts_constant(client_for, jti_chief):
    client = client_for(jti_chief)
    policy = f.policy()
    f.version(policy=policy)
    v = f.version(policy=policy)
    for _ in range(10):
        p = f.policy()
        f.version(policy=p)
        services.policy_version_acknowledge(version=f.version(policy=p), person=jti_chief)
    for url in (
        reverse("integrity:policy_list"),
        reverse("integrity:policy_detail", kwargs={"slug": policy.slug}),
        reverse("integrity:policy_version", kwargs={"slug": policy.slug, "number": v.number}),
        reverse("integrity:policy_diff", kwargs={"slug": policy.slug, "old": 1, "new": 2}),
        reverse("integrity:my_acknowledgements"),
    ):
        with assert_max_queries(12):
            assert client.get(url).status_code == 200


def test_sitemap_lists_public_policies(client):
    public = f.policy(is_public=True)
    f.version(policy=public)
    internal = f.policy()
    f.version(policy=internal)
    body = client.get("/sitemap.xml").content.decode()
    assert f"/justice-training-integrity/policies/{public.slug}/" in body
    assert f"/es/justice-training-integrity/policies/{public.slug}/" in body
    assert internal.slug not in body
