"""Quality-gate hooks of the staff content pages (combined into outreach/tests/hooks.py)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from tests.support import Route, Sample


def admin_rows_ensure() -> None:
    """The content pages add no model."""


SEARCH_PROBE = "zzsearchprobe"


def seed_private_markers(*, personas, marker) -> list[str]:
    """A draft event (only staff may see it until a supervisor publishes it), and for the site
    search (whose route sample searches SEARCH_PROBE) drafts and private rows that all carry
    that word: a draft news item, a draft Justice Journal episode, a draft event, a private
    project and a public project linked to a sensitive concern."""
    from outreach.events.tests.factories import EventFactory
    from outreach.media.tests import factories as f
    from outreach.models import Event
    from prosecution.concerns.tests.factories import ConcernFactory
    from prosecution.models import ProjectConcern
    from prosecution.projects.tests.factories import ProjectFactory

    title = marker("draft-event")
    EventFactory(title=title, title_es=title, status=Event.Status.DRAFT)
    news, journal, event, private, sensitive = (
        marker("search-draft-news"),
        marker("search-draft-journal"),
        marker("search-draft-event"),
        marker("search-private-project"),
        marker("search-sensitive-project"),
    )
    f.news_item(published=False, title=f"{SEARCH_PROBE} {news}")
    f.journal_episode(published=False, title=f"{SEARCH_PROBE} {journal}")
    EventFactory(title=f"{SEARCH_PROBE} {event}", status=Event.Status.DRAFT)
    ProjectFactory(title=f"{SEARCH_PROBE} {private}", is_public=False)
    project = ProjectFactory(title=f"{SEARCH_PROBE} {sensitive}", is_public=True)
    ProjectConcern.objects.create(project=project, concern=ConcernFactory(is_sensitive=True))
    return [title, news, journal, event, private, sensitive]


def _event_sample(personas, route: Route) -> Sample:
    from outreach.events.tests.factories import EventFactory
    from outreach.models import Event

    return Sample(kwargs={"public_id": EventFactory(status=Event.Status.DRAFT).public_id})


def _program_sample(personas, route: Route) -> Sample:
    from outreach.programs.tests.factories import ProgramFactory

    return Sample(kwargs={"pk": ProgramFactory().pk})


def _news_sample(personas, route: Route) -> Sample:
    from outreach.media.tests import factories as f

    return Sample(kwargs={"pk": f.news_item(published=False).pk})


def _journal_sample(personas, route: Route) -> Sample:
    from outreach.media.tests import factories as f

    return Sample(kwargs={"pk": f.journal_episode(published=False).pk})


def _podcast_sample(personas, route: Route) -> Sample:
    from outreach.media.tests import factories as f

    return Sample(kwargs={"pk": f.podcast_episode(published=False).pk})


def _contact_sample(personas, route: Route) -> Sample:
    from outreach.media.models import MediaContact

    contact = MediaContact.objects.first() or MediaContact.objects.create(
        name="Sample press officer", email="press@da.example.gov"
    )
    return Sample(kwargs={"pk": contact.pk})


def route_samples() -> dict[str, Callable[[Mapping[str, object], Route], Sample]]:
    return {
        "outreach:content_event_edit": _event_sample,
        "outreach:content_event_publish": _event_sample,
        "outreach:content_program_edit": _program_sample,
        "outreach:content_news_edit": _news_sample,
        "outreach:content_journal_edit": _journal_sample,
        "outreach:content_podcast_edit": _podcast_sample,
        "outreach:content_contact_edit": _contact_sample,
        "core:search": lambda personas, route: Sample(query=f"q={SEARCH_PROBE}"),
    }
