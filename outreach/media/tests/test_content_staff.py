"""Staff content pages: events, programs, news, Justice Journal and podcast episodes written
without Django admin; refusals by persona, kept input, audit entries, publishing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from jcr.core.models import AuditEntry
from outreach.events.tests.factories import EventFactory
from outreach.media.files import mp3_silence
from outreach.media.models import JournalEpisode, NewsItem, PodcastEpisode
from outreach.media.tests import factories as f
from outreach.models import Event, Program
from outreach.programs.tests.factories import ProgramFactory, TopicFactory
from tests.support import assert_max_queries

pytestmark = pytest.mark.django_db


def _local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def _event_data(**overrides):
    starts = timezone.now() + timedelta(days=20)
    data = {
        "title": "Scam prevention workshop",
        "title_es": "Taller de prevención de estafas",
        "slug": "scam-workshop",
        "summary": "How to spot a scam.",
        "summary_es": "Cómo reconocer una estafa.",
        "language": "en",
        "format": "in_person",
        "venue_name": "Library",
        "venue_address": "828 I St",
        "starts_at": _local(starts),
        "ends_at": _local(starts + timedelta(hours=2)),
        "capacity": "40",
        "reserved_seats": "0",
    }
    data.update(overrides)
    return data


# --- Refusals by persona -------------------------------------------------------------------------

CREATE_ROUTES = [
    "outreach:content_event_create",
    "outreach:content_program_create",
    "outreach:content_news_create",
    "outreach:content_journal_create",
    "outreach:content_podcast_create",
]


@pytest.mark.parametrize("name", CREATE_ROUTES)
def test_create_pages_open_to_outreach_roles_only(client_for, name, outreach_staff, outreach_supervisor,
                                                  bureau_chief, gr_analyst, resident_user):  # fmt: skip
    url = reverse(name)
    assert client_for(outreach_staff).get(url).status_code == 200
    assert client_for(outreach_supervisor).get(url).status_code == 200
    for user in (bureau_chief, gr_analyst, resident_user):
        assert client_for(user).get(url).status_code == 403
    response = client_for(None).get(url)
    assert response.status_code == 302
    assert "login" in response.url


def test_refused_post_creates_nothing(client_for, bureau_chief):
    response = client_for(bureau_chief).post(reverse("outreach:content_event_create"), _event_data())
    assert response.status_code == 403
    assert not Event.objects.filter(slug="scam-workshop").exists()


def test_list_links_each_kind(client_for, outreach_staff):
    event = EventFactory()
    item = f.news_item(published=False)
    client = client_for(outreach_staff)
    with assert_max_queries(12):
        page = client.get(reverse("outreach:content_list"))
    html = page.content.decode()
    assert reverse("outreach:content_event_edit", kwargs={"public_id": event.public_id}) in html
    assert reverse("outreach:content_news_edit", kwargs={"pk": item.pk}) in html
    assert reverse("outreach:content_podcast_create") in html


def test_list_query_count_is_constant(client_for, outreach_staff):
    client = client_for(outreach_staff)
    EventFactory()
    f.podcast_episode()
    client.get(reverse("outreach:content_list"))
    for _ in range(5):
        EventFactory()
        f.podcast_episode()
        f.news_item()
    with assert_max_queries(12):
        assert client.get(reverse("outreach:content_list")).status_code == 200


# --- Events --------------------------------------------------------------------------------------


def test_staff_creates_a_draft_event_with_audit(client_for, outreach_staff):
    response = client_for(outreach_staff).post(reverse("outreach:content_event_create"), _event_data())
    event = Event.objects.get(slug="scam-workshop")
    assert response.status_code == 302
    assert response.url == reverse("outreach:content_event_edit", kwargs={"public_id": event.public_id})
    assert event.status == Event.Status.DRAFT
    assert event.owner == outreach_staff
    entry = AuditEntry.objects.get(action="outreach.event.create", object_id=str(event.public_id))
    assert entry.actor == outreach_staff


def test_event_errors_keep_what_was_typed(client_for, outreach_staff):
    data = _event_data(ends_at=_local(timezone.now() + timedelta(days=1)), capacity="5", reserved_seats="9")
    response = client_for(outreach_staff).post(reverse("outreach:content_event_create"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Scam prevention workshop"' in html
    assert "Taller de prevención de estafas" in html
    assert 'value="828 I St"' in html
    assert "error-summary" in html
    assert "The event must end after it starts." in html
    assert "There cannot be more reserved seats than the capacity." in html
    assert not Event.objects.filter(slug="scam-workshop").exists()
    assert not AuditEntry.objects.filter(action="outreach.event.create").exists()


def test_edit_keeps_status_and_audits_the_change(client_for, outreach_staff):
    event = EventFactory(status=Event.Status.PUBLISHED, title="Old title")
    data = _event_data(slug=event.slug, title="New title", status="draft")  # a posted status is ignored
    response = client_for(outreach_staff).post(
        reverse("outreach:content_event_edit", kwargs={"public_id": event.public_id}), data
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "New title"
    assert event.status == Event.Status.PUBLISHED
    entry = AuditEntry.objects.get(action="outreach.event.change", object_id=str(event.public_id))
    assert entry.before["title"] == "Old title"
    assert entry.after["title"] == "New title"


def test_cancelled_event_cannot_be_edited(client_for, outreach_staff):
    event = EventFactory(status=Event.Status.CANCELLED)
    response = client_for(outreach_staff).post(
        reverse("outreach:content_event_edit", kwargs={"public_id": event.public_id}),
        _event_data(slug=event.slug, title="Changed"),
    )
    assert response.status_code == 400
    assert "can no longer be changed" in response.content.decode()
    event.refresh_from_db()
    assert event.title != "Changed"


def test_only_a_supervisor_publishes_an_event(client_for, outreach_staff, outreach_supervisor):
    event = EventFactory(status=Event.Status.DRAFT)
    url = reverse("outreach:content_event_publish", kwargs={"public_id": event.public_id})
    assert client_for(outreach_staff).post(url).status_code == 403
    event.refresh_from_db()
    assert event.status == Event.Status.DRAFT
    page = client_for(outreach_staff).get(reverse("outreach:content_event_edit", kwargs={"public_id": event.public_id}))
    assert url not in page.content.decode()

    supervisor = client_for(outreach_supervisor)
    edit = supervisor.get(reverse("outreach:content_event_edit", kwargs={"public_id": event.public_id}))
    assert url in edit.content.decode()
    assert supervisor.get(url).status_code == 405
    assert supervisor.post(url).status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    assert AuditEntry.objects.filter(action="outreach.event.publish", actor=outreach_supervisor).exists()


# --- Programs ------------------------------------------------------------------------------------


def test_program_create_and_edit_with_topics(client_for, outreach_staff):
    scams, youth = TopicFactory(slug="t-scams"), TopicFactory(slug="t-youth")
    data = {
        "title": "Elder fraud", "title_es": "Fraude a mayores", "slug": "elder-fraud",
        "summary": "For seniors.", "summary_es": "Para mayores.", "audience": "adult", "topics": [scams.pk],
        "language": "en_es", "format": "either", "length_minutes": "45", "is_active": "on", "order": "10",
    }  # fmt: skip
    client = client_for(outreach_staff)
    assert client.post(reverse("outreach:content_program_create"), data).status_code == 302
    program = Program.objects.get(slug="elder-fraud")
    assert list(program.topics.all()) == [scams]
    assert AuditEntry.objects.get(action="outreach.program.create").after["topics"] == ["t-scams"]

    data |= {"topics": [youth.pk], "title": "Elder fraud prevention"}
    assert client.post(reverse("outreach:content_program_edit", kwargs={"pk": program.pk}), data).status_code == 302
    program.refresh_from_db()
    assert program.title == "Elder fraud prevention"
    assert list(program.topics.all()) == [youth]
    change = AuditEntry.objects.get(action="outreach.program.change")
    assert change.before["topics"] == ["t-scams"]
    assert change.after["topics"] == ["t-youth"]


def test_program_errors_keep_input(client_for, outreach_staff):
    ProgramFactory(slug="taken")
    data = {"title": "Typed title", "slug": "taken", "audience": "adult", "language": "en", "format": "either"}
    response = client_for(outreach_staff).post(reverse("outreach:content_program_create"), data)
    assert response.status_code == 400
    assert 'value="Typed title"' in response.content.decode()
    assert Program.objects.filter(slug="taken").count() == 1


# --- News --------------------------------------------------------------------------------------


def test_news_is_written_as_draft_and_published_by_a_supervisor(client_for, outreach_staff, outreach_supervisor):
    data = {"title": "Scam alert", "slug": "scam-alert", "language": "en", "kind": "news",
            "summary": "A new scam.", "body": "Never pay **by gift card**."}  # fmt: skip
    assert client_for(outreach_staff).post(reverse("outreach:content_news_create"), data).status_code == 302
    item = NewsItem.objects.get(slug="scam-alert")
    assert item.status == "draft"
    assert "<strong>by gift card</strong>" in item.body_html
    assert AuditEntry.objects.filter(action="outreach.news_item.create", actor=outreach_staff).exists()
    publish = reverse("outreach:staff_media_publish", kwargs={"kind": "news", "pk": item.pk})
    edit = reverse("outreach:content_news_edit", kwargs={"pk": item.pk})
    assert publish not in client_for(outreach_staff).get(edit).content.decode()
    assert client_for(outreach_staff).post(publish).status_code == 403
    assert publish in client_for(outreach_supervisor).get(edit).content.decode()
    client_for(outreach_supervisor).post(publish)
    item.refresh_from_db()
    assert item.status == "published"


# --- Episodes -------------------------------------------------------------------------------------


def test_journal_captions_are_validated_and_input_kept(client_for, outreach_staff):
    data = {"title": "Episode typed", "slug": "ep-typed", "language": "en", "summary": "About it.",
            "youtube_id": "abcdefghijk", "transcript": "Words."}  # fmt: skip
    bad = SimpleUploadedFile("c.vtt", b"not a caption file", content_type="text/vtt")
    response = client_for(outreach_staff).post(reverse("outreach:content_journal_create"), data | {"captions": bad})
    assert response.status_code == 400
    assert 'value="Episode typed"' in response.content.decode()
    assert not JournalEpisode.objects.exists()

    good = SimpleUploadedFile("c.vtt", f.VTT, content_type="text/vtt")
    response = client_for(outreach_staff).post(reverse("outreach:content_journal_create"), data | {"captions": good})
    assert response.status_code == 302
    episode = JournalEpisode.objects.get(slug="ep-typed")
    assert episode.captions
    assert episode.status == "draft"
    assert AuditEntry.objects.filter(action="outreach.journal_episode.create").exists()


def test_published_journal_episode_keeps_its_transcript(client_for, outreach_staff):
    episode = f.journal_episode()
    data = {"title": episode.title, "slug": episode.slug, "language": "en", "summary": "S",
            "youtube_id": episode.youtube_id, "transcript": ""}  # fmt: skip
    response = client_for(outreach_staff).post(
        reverse("outreach:content_journal_edit", kwargs={"pk": episode.pk}), data
    )
    assert response.status_code == 400
    episode.refresh_from_db()
    assert episode.transcript


def test_podcast_audio_is_validated(client_for, outreach_staff):
    show = f.podcast_show()
    data = {"show": show.pk, "title": "Pod typed", "slug": "pod-typed", "description": "D", "transcript": "T"}
    bad = SimpleUploadedFile("a.mp3", b"this is not audio", content_type="audio/mpeg")
    response = client_for(outreach_staff).post(reverse("outreach:content_podcast_create"), data | {"audio": bad})
    assert response.status_code == 400
    assert 'value="Pod typed"' in response.content.decode()
    assert not PodcastEpisode.objects.exists()

    good = SimpleUploadedFile("a.mp3", mp3_silence(seconds=2), content_type="audio/mpeg")
    response = client_for(outreach_staff).post(reverse("outreach:content_podcast_create"), data | {"audio": good})
    assert response.status_code == 302
    episode = PodcastEpisode.objects.get(slug="pod-typed")
    assert episode.audio_type == "audio/mpeg"
    assert episode.audio_size > 0
    assert AuditEntry.objects.filter(action="outreach.podcast_episode.create", actor=outreach_staff).exists()


def test_landing_links_the_content_pages(client_for, outreach_staff):
    html = client_for(outreach_staff).get(reverse("outreach:staff_landing")).content.decode()
    assert reverse("outreach:content_list") in html
