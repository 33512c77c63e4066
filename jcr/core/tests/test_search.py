"""Site search: the registry, full-text search in English and Spanish, what it never shows,
pagination, query counts and the public page."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from jcr.core import search
from outreach.dialogues.models import DialogueSeries
from outreach.events.models import Event
from outreach.events.tests.factories import EventFactory
from outreach.media.tests import factories as f
from outreach.programs.tests.factories import ProgramFactory
from outreach.tests.hooks_content import SEARCH_PROBE
from tests.support import assert_max_queries

pytestmark = pytest.mark.django_db


def _titles(q, language="en"):
    return [r.title for r in search.search(q, language=language)[0:100]]


def _url(language="en"):
    with translation.override(language):
        return reverse("core:search")


def test_spanish_words_are_stemmed():
    f.news_item(
        title="Nueva estafa telefónica", summary="Cuidado.", body="Llaman fingiendo ser el banco.", language="es"
    )
    EventFactory(title="Fraud workshop", title_es="Taller sobre la estafa")
    assert sorted(_titles("estafas", "es")) == ["Nueva estafa telefónica", "Taller sobre la estafa"]


def test_english_words_are_stemmed():
    f.news_item(title="Workshops for seniors", summary="Free.", body="Learn to spot scams.")
    ProgramFactory(title="Scam prevention", summary="How scams work.")
    assert _titles("workshop") == ["Workshops for seniors"]
    assert sorted(_titles("scam")) == ["Scam prevention", "Workshops for seniors"]


def test_english_text_is_not_matched_with_the_spanish_configuration():
    # A news item in Spanish is searched as Spanish only (its language field).
    f.news_item(title="Las estafas", summary="s", body="b", language="es")
    f.news_item(title="Scams", summary="s", body="b", language="en")
    assert _titles("scams") == ["Scams"]


def test_websearch_syntax():
    f.news_item(title="Phone scam", summary="s", body="b")
    f.news_item(title="Mail scam", summary="s", body="b")
    assert _titles("scam -phone") == ["Mail scam"]
    assert _titles('"mail scam"') == ["Mail scam"]
    assert sorted(_titles("phone or mail")) == ["Mail scam", "Phone scam"]


def test_page_language_first_and_titles_in_the_page_language():
    f.news_item(title="Sacramento news", summary="s", body="Sacramento")
    f.news_item(title="Noticias de Sacramento", summary="s", body="Sacramento", language="es")
    EventFactory(title="Sacramento town hall", title_es="Reunión en Sacramento")
    results = search.search("Sacramento", language="es")[0:10]
    assert [r.language for r in results] == ["es", "es", "en"]
    assert {r.title for r in results[:2]} == {"Noticias de Sacramento", "Reunión en Sacramento"}
    assert search.search("Sacramento", language="en")[0].language == "en"


def test_never_drafts_private_sensitive_or_inactive():
    from prosecution.concerns.tests.factories import ConcernFactory
    from prosecution.models import ProjectConcern
    from prosecution.projects.tests.factories import ProjectFactory

    f.news_item(published=False, title="Draft burglary news")
    f.journal_episode(published=False, title="Draft burglary episode")
    f.podcast_episode(published=False, title="Draft burglary podcast")
    f.podcast_episode(show=f.podcast_show(is_active=False), title="Hidden show burglary")
    EventFactory(title="Draft burglary event", status=Event.Status.DRAFT)
    ProgramFactory(title="Retired burglary program", is_active=False)
    ProjectFactory(title="Private burglary project", is_public=False)
    sensitive = ProjectFactory(title="Sensitive burglary project", is_public=True)
    ProjectConcern.objects.create(project=sensitive, concern=ConcernFactory(is_sensitive=True))
    ProjectFactory(title="Public burglary project", is_public=True, public_summary="Lights on K Street.")
    f.news_item(title="Published burglary news")
    assert sorted(_titles("burglary")) == ["Public burglary project", "Published burglary news"]


def test_dialogue_series_only_once_published(client):
    from outreach.dialogues.tests.factories import DialogueSeriesFactory as SeriesFactory

    draft = SeriesFactory(title="Neighbourhood dialogue draft", status=DialogueSeries.Status.DRAFT)
    SeriesFactory(title="Neighbourhood dialogue open", status=DialogueSeries.Status.PUBLISHED)
    assert _titles("neighbourhood") == ["Neighbourhood dialogue open"]
    assert draft.title not in client.get(_url(), {"q": "neighbourhood"}).content.decode()


def test_every_result_links_to_its_public_page(client):
    from prosecution.projects.tests.factories import ProjectFactory

    ProgramFactory(title="Robbery program")
    EventFactory(title="Robbery event")
    f.news_item(title="Robbery news")
    f.journal_episode(title="Robbery journal")
    f.podcast_episode(title="Robbery podcast")
    ProjectFactory(title="Robbery project", is_public=True)
    results = search.search("robbery", language="en")[0:20]
    assert {r.kind for r in results} == {"program", "event", "news", "journal", "podcast", "project"}
    for result in results:
        assert client.get(result.url).status_code == 200, result.url


def test_fixed_pages_are_found():
    results = search.search("privacy", language="en")[0:5]
    assert results[0].url == reverse("core:privacy")
    with translation.override("es"):
        title = translation.gettext("Privacy notice")  # "Aviso de privacidad" once translated
        assert search.search(title, language="es")[0].url == "/es/about/privacy/"


def test_a_source_registered_later_is_searched(monkeypatch):
    from outreach.programs.models import Program

    monkeypatch.setattr(search, "_registered", [])
    search.register(
        search.Source(
            key="bill",
            label="Bill",
            queryset=lambda: Program.objects.filter(slug="ab-123"),
            text={"en": ("title",)},
            title={"en": "title"},
            summary={"en": "summary"},
            url=lambda slug: f"/bills/{slug}/",
            url_fields=("slug",),
        )
    )
    ProgramFactory(slug="ab-123", title="Sentencing bill")
    kinds = {r.kind: r.url for r in search.search("sentencing", language="en")[0:5]}
    assert kinds["bill"] == "/bills/ab-123/"


def test_fallback_without_postgres_matches_words(monkeypatch):
    monkeypatch.setattr(search, "_postgres", lambda: False)
    f.news_item(title="Nueva estafa", summary="s", body="b", language="es")
    f.news_item(title="Draft estafa", summary="s", body="b", published=False)
    assert _titles("estafas", "es") == ["Nueva estafa"]


# --- The page ------------------------------------------------------------------------------------


def test_page_lists_results_with_type_labels(client):
    f.news_item(title="Identity theft warning", summary="Protect your data.")
    ProgramFactory(title="Identity theft program")
    html = client.get(_url(), {"q": "identity theft"}).content.decode()
    assert "2 results for “identity theft”" in html
    assert "Identity theft warning" in html
    assert '<span class="badge text-bg-secondary">News</span>' in html
    assert '<span class="badge text-bg-secondary">Program</span>' in html


def test_page_in_spanish(client):
    EventFactory(title="Fraud workshop", title_es="Taller sobre la estafa")
    response = client.get(_url("es"), {"q": "estafas"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="es"' in html
    assert "Taller sobre la estafa" in html


def test_empty_state_and_no_query(client):
    html = client.get(_url(), {"q": "nothingmatchesthisword"}).content.decode()
    assert "Nothing matches your search." in html
    html = client.get(_url()).content.decode()
    assert "results for" not in html
    assert 'role="search"' in html


def test_pagination(client):
    for n in range(25):
        f.news_item(title=f"Vandalism report {n}", days_ago=n + 1)
    first = client.get(_url(), {"q": "vandalism"}).content.decode()
    assert first.count('class="search-result') == 20
    assert "Page 1 of 2" in first
    assert "?q=vandalism&amp;page=2" in first
    second = client.get(_url(), {"q": "vandalism", "page": "2"}).content.decode()
    assert second.count('class="search-result') == 5
    assert "Vandalism report 0" in first  # newest first at equal rank
    assert "Vandalism report 24" in second


def test_query_count_is_constant(client):
    def add(n):
        for i in range(n):
            f.news_item(title=f"Graffiti {i}")
            EventFactory(title=f"Graffiti event {i}")
            ProgramFactory(title=f"Graffiti program {i}")

    add(2)
    with assert_max_queries(8) as few:
        client.get(_url(), {"q": "graffiti"})
    add(12)
    with assert_max_queries(8) as many:
        assert client.get(_url(), {"q": "graffiti"}).status_code == 200
    assert len(few) == len(many)


def test_header_form_on_public_pages(client):
    html = client.get(reverse("outreach:landing")).content.decode()
    assert f'action="{reverse("core:search")}" role="search"' in html
    assert '<label class="visually-hidden" for="site-search-q">' in html


def test_probe_of_the_route_gates_finds_nothing_private(client, personas):
    from outreach.tests import hooks_content
    from tests.support import marker

    markers = hooks_content.seed_private_markers(personas=personas, marker=marker)
    html = client.get(_url(), {"q": SEARCH_PROBE}).content.decode()
    assert "Nothing matches your search." in html
    for m in markers:
        assert m not in html


def test_bills_with_an_approved_position_are_found_and_others_are_not():
    from govrelations.bills.tests.factories import BillFactory
    from govrelations.positions.tests.factories import ApprovedPositionFactory, PositionFactory

    ApprovedPositionFactory(bill=BillFactory(identifier="AB 4242", title="Restitution for burglary victims"))
    PositionFactory(bill=BillFactory(identifier="SB 4343", title="Restitution fund audit"))
    assert _titles("restitution") == ["Restitution for burglary victims"]


def test_public_policies_in_effect_are_found_and_private_or_future_ones_are_not():
    from datetime import timedelta

    from django.utils import timezone

    from integrity.policies.tests.factories import policy, version

    version(policy=policy(title="Use of body-worn camera footage", is_public=True))
    version(policy=policy(title="Internal camera inventory", is_public=False))
    version(
        policy=policy(title="Camera policy not yet in effect", is_public=True),
        effective_on=timezone.localdate() + timedelta(days=30),
    )
    assert _titles("camera") == ["Use of body-worn camera footage"]


@pytest.mark.parametrize("stored", ["hex", "hyphenated"], ids=["sqlite", "postgresql"])
def test_a_uuid_key_links_to_its_page_whichever_way_the_database_writes_it(client, stored):
    # SQLite stores a UUID as 32 hex digits and casts it to text that way; PostgreSQL casts it
    # hyphenated. Both must reverse to the public page (tests/test_smoke_embedded.py searches
    # for a project on a real SQLite database).
    from prosecution.projects.tests.factories import ProjectFactory

    project = ProjectFactory(title="Graffiti project", is_public=True)
    results = search.search("graffiti", language="en")
    key = project.public_id.hex if stored == "hex" else str(project.public_id)
    row = ("project", project.title, "", key, "", None, "en", 1, 0.0)
    url = results._result(row).url
    assert url == reverse("prosecution:project_public", kwargs={"public_id": project.public_id})
    assert client.get(url).status_code == 200
