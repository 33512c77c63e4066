"""Spanish of the public content (events, programs, news): shown on /es/ when written; without
it the page says so in Spanish and marks the English text; editable in admin and the staff
forms; the sitemap lists a Spanish page only where the Spanish is written."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation

from outreach.events.tests.factories import EventFactory
from outreach.media.tests import factories as f
from outreach.programs.tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db

NOTICE = "Este contenido aún no está disponible en español."


def _es(name: str, **kwargs) -> str:
    with translation.override("es"):
        return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize(
    ("make", "name", "spanish"),
    [
        (lambda: EventFactory(title_es="Feria de recursos", summary_es="Recursos para su familia."),
         "outreach:event_detail", "Recursos para su familia."),
        (lambda: ProgramFactory(summary_es="Cómo evitar las estafas."), "outreach:program_detail",
         "Cómo evitar las estafas."),
    ],
    ids=["event", "program"],
)  # fmt: skip
def test_spanish_page_shows_the_spanish_text(client, make, name, spanish):
    obj = make()
    body = client.get(_es(name, slug=obj.slug)).content.decode()
    assert spanish in body
    assert NOTICE not in body
    assert 'lang="en"' not in body.split("<main", 1)[1]


@pytest.mark.parametrize(
    ("make", "name", "english"),
    [
        (lambda: EventFactory(title_es="", summary="Resource fair for families."), "outreach:event_detail",
         "Resource fair for families."),
        (lambda: ProgramFactory(summary_es="", summary="How to avoid scams."), "outreach:program_detail",
         "How to avoid scams."),
        (lambda: f.news_item(summary="Office opens in Natomas."), "outreach:news_detail", "Office opens in Natomas."),
    ],
    ids=["event", "program", "news"],
)  # fmt: skip
def test_without_spanish_the_page_says_so_and_marks_the_english(client, make, name, english):
    obj = make()
    # The English page never shows the notice.
    assert NOTICE not in client.get(reverse(name, kwargs={"slug": obj.slug})).content.decode()
    body = client.get(_es(name, slug=obj.slug)).content.decode()
    assert NOTICE in body
    # The English text sits in an element (or inside one) marked lang="en".
    marked = re.findall(r'<(\w+)[^>]*lang="en"[^>]*>(.*?)</\1>', body, flags=re.S)
    assert any(english in inner for _tag, inner in marked)


def test_news_with_a_spanish_edition_links_to_it_without_the_notice(client):
    original = f.news_item(title="Office opens")
    f.news_item(title="Abre la oficina", language="es", translation_of=original)
    body = client.get(_es("outreach:news_detail", slug=original.slug)).content.decode()
    assert NOTICE not in body
    assert "Leer en español" in body


@pytest.mark.parametrize(
    ("url", "fields"),
    [
        ("/admin/outreach/event/add/", ["title_es", "summary_es", "description_es", "image_alt_es"]),
        ("/admin/outreach/program/add/", ["title_es", "summary_es", "image_alt_es"]),
        ("/admin/outreach/newsitem/add/", ["language", "translation_of", "image_alt_es"]),
    ],
    ids=["event", "program", "news"],
)
def test_admin_forms_have_the_spanish_fields(client_for, administrator, url, fields):
    model = url.split("/")[3]
    administrator.user_permissions.add(Permission.objects.get(codename=f"add_{model}"))
    body = client_for(administrator).get(url).content.decode()
    for field in fields:
        assert f'name="{field}"' in body


@pytest.mark.parametrize("route", ["outreach:content_event_create", "outreach:content_program_create"])
def test_staff_content_forms_have_the_spanish_fields(client_for, outreach_staff, route):
    body = client_for(outreach_staff).get(reverse(route)).content.decode()
    assert 'name="title_es"' in body
    assert 'name="summary_es"' in body
    assert 'name="image_alt_es"' in body


def test_sitemap_lists_the_spanish_page_only_where_the_spanish_is_written(client):
    both = EventFactory(summary_es="Resumen.")
    english_only = EventFactory(title_es="")
    news = f.news_item()
    body = client.get("/sitemap.xml").content.decode()
    assert _es("outreach:event_detail", slug=both.slug) in body
    assert reverse("outreach:event_detail", kwargs={"slug": english_only.slug}) in body
    assert _es("outreach:event_detail", slug=english_only.slug) not in body
    assert _es("outreach:news_detail", slug=news.slug) not in body
