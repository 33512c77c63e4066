"""Draft social posts from content: publishing a news item, podcast episode or event makes its
draft(s) once, after commit, authored by whoever published it when they may add social
posts; the staff content pages offer the actions only to those who may."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from outreach.events import services
from outreach.events.tests.factories import EventFactory
from outreach.media import services as services_media
from outreach.media.models import PublishStatus
from outreach.media.tests import factories as m
from outreach.models import Event
from outreach.social import services_sources
from outreach.social.models import SocialPost
from outreach.social.tests import factories as f
from tests.support import assert_max_queries

pytestmark = pytest.mark.django_db
S = SocialPost.Status


@pytest.fixture(autouse=True)
def channel(db):
    return f.channel("development")


def _sources():
    return sorted(SocialPost.objects.values_list("source_kind", flat=True))


def _draft_event(days: float) -> Event:
    return EventFactory(status=Event.Status.DRAFT, starts_at=timezone.now() + timedelta(days=days))


def test_publishing_news_makes_one_draft_by_the_publisher(
    outreach_supervisor, channel, django_capture_on_commit_callbacks
):
    item = m.news_item(published=False)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services_media.content_publish(obj=item, actor=outreach_supervisor)
    assert len(callbacks) == 1
    post = SocialPost.objects.get()
    assert (post.source_kind, post.source_id) == ("news", item.pk)
    assert post.author == outreach_supervisor
    assert post.status == S.DRAFT
    assert post.publish_at is None
    assert item.title in post.body
    assert list(post.variants.values_list("channel_id", flat=True)) == [channel.pk]
    # publishing again (after taking it off the site) or editing makes no second draft
    with django_capture_on_commit_callbacks(execute=True):
        services_media.content_unpublish(obj=item, actor=outreach_supervisor)
        item.refresh_from_db()
        item.title = "Changed title"
        services_media.news_item_save(item=item, actor=outreach_supervisor)
        services_media.content_publish(obj=item, actor=outreach_supervisor)
    assert SocialPost.objects.count() == 1


def test_nothing_is_made_before_the_publication_commits(outreach_supervisor, django_capture_on_commit_callbacks):
    item = m.news_item(published=False)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services_media.content_publish(obj=item, actor=outreach_supervisor)
        assert not SocialPost.objects.exists()
    assert len(callbacks) == 1


def test_news_published_for_later_gives_the_draft_that_time(outreach_supervisor, django_capture_on_commit_callbacks):
    item = m.news_item(published=False)
    later = timezone.now() + timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        services_media.content_publish(obj=item, actor=outreach_supervisor, at=later)
    assert SocialPost.objects.get().publish_at == later


def test_publishing_a_podcast_episode_makes_its_draft(outreach_supervisor, django_capture_on_commit_callbacks):
    episode = m.podcast_episode(published=False)
    with django_capture_on_commit_callbacks(execute=True):
        services_media.content_publish(obj=episode, actor=outreach_supervisor)
    post = SocialPost.objects.get()
    assert (post.source_kind, post.source_id) == ("podcast", episode.pk)
    assert episode.show.title in post.body


def test_a_refused_publication_makes_no_draft(outreach_supervisor, django_capture_on_commit_callbacks):
    episode = m.podcast_episode(published=False)
    type(episode).objects.filter(pk=episode.pk).update(transcript="")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services_media.content_publish(obj=episode, actor=outreach_supervisor)
    assert not SocialPost.objects.exists()


def test_journal_episodes_make_no_draft(outreach_supervisor, django_capture_on_commit_callbacks):
    episode = m.journal_episode(published=False)
    with django_capture_on_commit_callbacks(execute=True):
        services_media.content_publish(obj=episode, actor=outreach_supervisor)
    assert not SocialPost.objects.exists()


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (20, ["event", "event_day", "event_week"]),
        (3, ["event", "event_day"]),
        (0.5, ["event"]),
    ],
)
def test_publishing_an_event_makes_its_post_and_reminders_still_ahead(
    outreach_supervisor, django_capture_on_commit_callbacks, days, expected
):
    event = _draft_event(days)
    with django_capture_on_commit_callbacks(execute=True):
        services.event_publish(event=event, actor=outreach_supervisor)
    assert _sources() == expected
    posts = {p.source_kind: p for p in SocialPost.objects.all()}
    assert all(
        p.author == outreach_supervisor and p.status == S.DRAFT and p.source_id == event.pk for p in posts.values()
    )
    assert posts["event"].publish_at is None
    if "event_week" in posts:
        assert posts["event_week"].publish_at == event.starts_at - timedelta(days=7)
    if "event_day" in posts:
        assert posts["event_day"].publish_at == event.starts_at - timedelta(days=1)
    # a drafted reminder made by hand earlier is kept, not duplicated
    with django_capture_on_commit_callbacks(execute=True):
        services_sources.drafts_for_published(kind="event", pk=event.pk, user=outreach_supervisor)
    assert _sources() == expected


def test_a_publisher_without_the_permission_gets_no_draft(administrator, django_capture_on_commit_callbacks):
    assert administrator.has_perm("outreach.publish_media")
    assert not administrator.has_perm("outreach.add_socialpost")
    item = m.news_item(published=False)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services_media.content_publish(obj=item, actor=administrator)
    assert callbacks == []
    assert not SocialPost.objects.exists()
    item.refresh_from_db()
    assert item.status == PublishStatus.PUBLISHED


def test_the_setting_turns_automatic_drafts_off(settings, outreach_supervisor, django_capture_on_commit_callbacks):
    settings.JCR_SOCIAL_AUTO_DRAFTS = False
    with django_capture_on_commit_callbacks(execute=True):
        services.event_publish(event=_draft_event(20), actor=outreach_supervisor)
        services_media.content_publish(obj=m.news_item(published=False), actor=outreach_supervisor)
    assert not SocialPost.objects.exists()


def test_content_published_without_a_person_makes_no_draft(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        m.news_item()  # the demo and the factories publish with actor=None
    assert not SocialPost.objects.exists()


def test_a_passed_reminder_is_refused(outreach_staff, client_for):
    event = EventFactory(starts_at=timezone.now() + timedelta(hours=20))
    with pytest.raises(ValidationError):
        services_sources.post_draft_from_source(user=outreach_staff, kind="event_day", pk=event.pk)
    client = client_for(outreach_staff)
    url = reverse("outreach:staff_social_from_source", kwargs={"kind": "event_week", "pk": event.pk})
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert b"The time for this reminder has passed." in response.content
    assert not SocialPost.objects.exists()


def _from_url(kind, pk):
    return reverse("outreach:staff_social_from_source", kwargs={"kind": kind, "pk": pk})


def _content_editor_without_social():
    """Staff who may edit and publish content but not add social posts."""
    from django.contrib.auth.models import Permission

    from jcr.accounts.tests.factories import StaffFactory

    user = StaffFactory(email="editor@da.example.gov")
    names = ["change_newsitem", "change_podcastepisode", "change_event", "view_registration", "publish_event"]
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="outreach", codename__in=names))
    assert not user.has_perm("outreach.add_socialpost")
    return user


def test_content_pages_offer_social_posts_to_those_who_may(client_for, outreach_staff):
    item = m.news_item()
    episode = m.podcast_episode()
    event = EventFactory(starts_at=timezone.now() + timedelta(days=3))
    pages = [
        (reverse("outreach:content_news_edit", kwargs={"pk": item.pk}), [_from_url("news", item.pk)]),
        (reverse("outreach:content_podcast_edit", kwargs={"pk": episode.pk}), [_from_url("podcast", episode.pk)]),
        (
            reverse("outreach:content_event_edit", kwargs={"public_id": event.public_id}),
            [_from_url("event", event.pk), _from_url("event_day", event.pk)],
        ),
        (
            reverse("outreach:staff_event_registrations", kwargs={"public_id": event.public_id}),
            [_from_url("event", event.pk), _from_url("event_day", event.pk)],
        ),
    ]
    staff = client_for(outreach_staff)
    admin = client_for(_content_editor_without_social())
    for url, actions in pages:
        page = staff.get(url).content.decode()
        for action in actions:
            assert f'action="{action}"' in page, (url, action)
        # the week-before reminder of an event three days away has passed
        assert _from_url("event_week", event.pk) not in page
        other = admin.get(url)
        assert other.status_code == 200
        assert "staff/outreach/social/from/" not in other.content.decode()


def test_a_made_post_is_linked_with_its_status(client_for, outreach_staff):
    item = m.news_item()
    client = client_for(outreach_staff)
    response = client.post(_from_url("news", item.pk))
    post = SocialPost.objects.get()
    assert response["Location"] == reverse("outreach:staff_social_edit", kwargs={"public_id": post.public_id})
    page = client.get(reverse("outreach:content_news_edit", kwargs={"pk": item.pk})).content.decode()
    assert reverse("outreach:staff_social_detail", kwargs={"public_id": post.public_id}) in page
    assert f'action="{_from_url("news", item.pk)}"' not in page
    # asking again opens the same post
    again = client.post(_from_url("news", item.pk))
    assert again["Location"] == reverse("outreach:staff_social_detail", kwargs={"public_id": post.public_id})
    assert SocialPost.objects.count() == 1


def test_social_actions_cost_one_query(outreach_staff):
    from outreach.social import selectors as selectors_social

    event = EventFactory(starts_at=timezone.now() + timedelta(days=20))
    assert outreach_staff.has_perm("outreach.add_socialpost")  # the permissions are cached
    with assert_max_queries(1):
        actions = selectors_social.source_actions(user=outreach_staff, kind="event", obj=event)
    assert [a["kind"] for a in actions] == ["event", "event_week", "event_day"]


def test_publishing_from_the_staff_pages_makes_the_drafts(
    client_for, outreach_supervisor, django_capture_on_commit_callbacks
):
    event = _draft_event(20)
    item = m.news_item(published=False)
    client = client_for(outreach_supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("outreach:content_event_publish", kwargs={"public_id": event.public_id}))
        assert response.status_code == 302
        response = client.post(reverse("outreach:staff_media_publish", kwargs={"kind": "news", "pk": item.pk}))
        assert response.status_code == 302
    assert _sources() == ["event", "event_day", "event_week", "news"]
    assert set(SocialPost.objects.values_list("author_id", flat=True)) == {outreach_supervisor.pk}


def _other_supervisor():
    from jcr.accounts import roles
    from jcr.accounts.tests.factories import StaffFactory

    return StaffFactory(email="other.supervisor@da.example.gov", roles=[roles.OUTREACH_SUPERVISOR])


def _approved(post, approver, author):
    from outreach.social import services as social_services

    social_services.post_submit(post=post, user=author)
    social_services.post_approve(post=post, user=approver)
    post.refresh_from_db()
    return post


def test_cancelling_an_event_cancels_its_posts_not_yet_out(
    outreach_staff, outreach_supervisor, django_capture_on_commit_callbacks
):
    event = _draft_event(20)
    with django_capture_on_commit_callbacks(execute=True):
        services.event_publish(event=event, actor=outreach_supervisor)
    week = _approved(SocialPost.objects.get(source_kind="event_week"), _other_supervisor(), outreach_staff)
    assert week.status == S.SCHEDULED
    day = SocialPost.objects.get(source_kind="event_day")
    first = SocialPost.objects.get(source_kind="event")
    first.status = S.PUBLISHED  # the announcement went out already
    first.save()
    services.event_cancel(event=event, actor=outreach_supervisor)
    week.refresh_from_db()
    day.refresh_from_db()
    first.refresh_from_db()
    assert week.status == S.CANCELLED
    assert set(week.deliveries.values_list("status", flat=True)) == {"cancelled"}
    assert day.status == S.CANCELLED
    assert first.status == S.PUBLISHED


def test_taking_news_off_the_site_sends_its_post_back_to_draft(
    outreach_staff, outreach_supervisor, django_capture_on_commit_callbacks
):
    item = m.news_item(published=False)
    with django_capture_on_commit_callbacks(execute=True):
        services_media.content_publish(obj=item, actor=outreach_supervisor)
    post = SocialPost.objects.get()
    post.publish_at = timezone.now() + timedelta(hours=3)
    post.save()
    post = _approved(post, _other_supervisor(), outreach_staff)
    services_media.content_unpublish(obj=item, actor=outreach_supervisor)
    post.refresh_from_db()
    assert post.status == S.DRAFT
    assert post.approver is None
    assert not post.deliveries.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services_media.content_publish(obj=item, actor=outreach_supervisor)
    assert SocialPost.objects.get() == post


def test_moving_an_event_moves_its_reminders_and_their_text(outreach_staff, outreach_supervisor):
    from outreach.media import services_content
    from outreach.social import services_sources

    event = EventFactory(starts_at=timezone.now() + timedelta(days=20))
    week = services_sources.post_draft_from_source(user=outreach_staff, kind="event_week", pk=event.pk)
    day = _approved(
        services_sources.post_draft_from_source(user=outreach_staff, kind="event_day", pk=event.pk),
        outreach_supervisor,
        outreach_staff,
    )
    old = timezone.localtime(event.starts_at).strftime("%Y-%m-%d %H:%M")
    assert old in day.body
    event.starts_at += timedelta(days=2)
    event.ends_at += timedelta(days=2)
    services_content.event_save(event=event, actor=outreach_supervisor)
    new = timezone.localtime(event.starts_at).strftime("%Y-%m-%d %H:%M")
    week.refresh_from_db()
    day.refresh_from_db()
    assert week.publish_at == event.starts_at - timedelta(days=7)
    assert day.publish_at == event.starts_at - timedelta(days=1)
    assert new in day.body
    assert old not in day.body
    assert day.status == S.DRAFT  # the approved reminder needs approval again
    assert not day.deliveries.exists()
    assert week.status == S.DRAFT
