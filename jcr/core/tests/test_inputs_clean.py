"""Text inputs are cleaned once: every form's text field (ours, the admin's, allauth's) drops
control characters; multi-line fields keep tab and line breaks, single-line ones make spaces
of them; passwords are left alone."""

from __future__ import annotations

import importlib
import inspect
import time
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.contrib.admin.sites import site as admin_site
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from django.urls import reverse

from jcr.core.abuse import form_timestamp
from jcr.core.text import data_xml_safe, text_clean, xml_text
from prosecution.models import Concern

DIRTY = "a\x00b\x07c\x0bd\x1be\x7ff\x85g\ud800h"


def _form_modules() -> list[str]:
    """Every forms module of the portal: `forms.py` and `forms_*.py` in the apps and their
    feature packages (found on disk, so a new feature's forms are covered without a list)."""
    base = Path(settings.BASE_DIR)
    found = []
    for root in ("jcr", "outreach", "prosecution", "govrelations", "integrity"):
        for path in sorted((base / root).rglob("forms*.py")):
            if "tests" not in path.parts:
                found.append(".".join(path.relative_to(base).with_suffix("").parts))
    return found


FORM_MODULES = _form_modules()


@pytest.mark.parametrize(
    ("value", "multiline", "expected"),
    [
        (DIRTY, True, "abcdefgh"),
        ("line one\r\n\tline two\n", True, "line one\r\n\tline two\n"),
        ("line one\r\n\tline two\n", False, "line one  line two "),
        ("café — ñandú 🌵", False, "café — ñandú 🌵"),
    ],
)
def test_inputs_text_clean(value, multiline, expected):
    assert text_clean(value, multiline=multiline) == expected


def test_inputs_xml_text_drops_what_xml_forbids():
    assert xml_text("a\x0bb\x1fc\ufffe\uffff\ud800d\te\nf") == "abcd\te\nf"
    assert data_xml_safe({"k\x0b": ["v\x1f", 1, None, {"x": "\x0c"}]}) == {"k": ["v", 1, None, {"x": ""}]}


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        (forms.CharField(), "abcdefgh"),
        (forms.CharField(widget=forms.Textarea), "abcdefgh"),
        (forms.SlugField(), "abcdefgh"),
    ],
)
def test_inputs_every_char_field_cleans(field, expected):
    assert field.clean(DIRTY) == expected


def test_inputs_multiline_keeps_line_breaks_single_line_makes_spaces():
    assert forms.CharField(widget=forms.Textarea).clean(" one\r\n\ttwo\x0b ") == "one\r\n\ttwo"
    assert forms.CharField().clean(" one\r\n\ttwo\x0b ") == "one  two"
    assert forms.EmailField().clean("ana@example.org\x0b") == "ana@example.org"


def test_inputs_password_is_left_as_typed():
    field = forms.CharField(widget=forms.PasswordInput, strip=False)
    assert field.clean(" pass\x0bword ") == " pass\x0bword "


def _text_fields(form: forms.BaseForm) -> list[str]:
    return [
        name
        for name, field in form.fields.items()
        if isinstance(field, forms.CharField)
        and not isinstance(field, forms.JSONField | forms.UUIDField)
        and not isinstance(field.widget, forms.PasswordInput | forms.HiddenInput)
    ]


def _form_classes():
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module_name:
                yield cls


@pytest.mark.django_db
def test_inputs_every_project_form_cleans_its_text_fields():
    """Every form of every unit that can be built from data alone: each text field it accepts
    comes out without control characters (and the walk reaches every unit)."""
    checked_units = set()
    for cls in _form_classes():
        try:
            form = cls(data={})
        except (TypeError, ValueError, AttributeError, KeyError):
            continue  # needs more than data to be built
        names = _text_fields(form)
        if not names:
            continue
        form = cls(data=dict.fromkeys(names, f"x{DIRTY}"))
        form.is_valid()
        for name in names:
            value = getattr(form, "cleaned_data", {}).get(name)
            if isinstance(value, str) and value:
                assert text_clean(value) == value, f"{cls.__module__}.{cls.__name__}.{name}: {value!r}"
                checked_units.add(cls.__module__.split(".")[0])
    assert checked_units >= {"jcr", "outreach", "prosecution", "govrelations", "integrity"}


@pytest.mark.django_db
def test_inputs_admin_forms_clean_their_text_fields(administrator):
    """The admin's generated ModelForms go through the same CharField: every text field of
    every registered model's admin form."""
    request = RequestFactory().get("/admin/")
    request.user = administrator
    seen = 0
    for model, model_admin in admin_site._registry.items():
        form_class = model_admin.get_form(request, obj=None)
        form = form_class()
        for name, field in form.fields.items():
            if type(field) is forms.CharField and not isinstance(field.widget, forms.PasswordInput):
                try:
                    value = field.clean(f"x{DIRTY}")
                except ValidationError:
                    continue  # too long for the field, or not one of its choices
                assert value == "xabcdefgh", f"{model.__name__}.{name}"
                seen += 1
    assert seen > 20


@pytest.mark.django_db
def test_inputs_public_report_form_stores_clean_text(resident):
    data = {
        "submission_key": str(uuid.uuid4()),
        "description": "Graffiti\x0b on the\x1b wall\r\nof the laundromat\x85",
        "address": "5th\x0c and\nJ",
        "when_happens": "daily",
        "language": "en",
        "contact_name": "Ana\x07",
        "contact_email": "",
        "contact_phone": "",
        "website": "",
        "q_surface": "fence",
        "q_offensive": "no",
        "form_ts": form_timestamp(scope="concern_submit", seconds_ago=30),
    }
    response = resident.post(reverse("prosecution:report_form", kwargs={"code": "graffiti"}), data)
    assert response.status_code == 302
    concern = Concern.objects.get()
    assert concern.description == "Graffiti on the wall\r\nof the laundromat"
    assert concern.address == "5th and J"
    assert concern.contact_name == "Ana"


# --- Serializers: rows stored before the cleaning keep every document well-formed --------------

STORED = "Tags\x0b on\x1f the fence\x7f\x1b"


@pytest.mark.django_db
def test_inputs_feeds_stay_well_formed_with_control_characters_stored(client):
    from govrelations.models import Position
    from govrelations.positions.tests.factories import ApprovedPositionFactory
    from outreach.media.models import NewsItem, PodcastEpisode, PodcastShow
    from outreach.media.tests import factories as media_factories

    news = media_factories.news_item()
    NewsItem.objects.filter(pk=news.pk).update(title=STORED, summary=STORED)
    position = ApprovedPositionFactory()
    Position.objects.filter(pk=position.pk).update(reasons=STORED)
    episode = media_factories.podcast_episode()
    PodcastEpisode.objects.filter(pk=episode.pk).update(title=STORED, description=STORED)
    PodcastShow.objects.filter(pk=episode.show_id).update(description=STORED)
    for url in (
        reverse("outreach:news_feed"),
        reverse("govrelations:positions_feed"),
        reverse("outreach:podcast_feed", kwargs={"slug": episode.show.slug}),
        "/sitemap.xml",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        document = ET.fromstring(response.content)  # noqa: S314 (our own response)
        assert url == "/sitemap.xml" or "Tags on the fence" in ET.tostring(document, encoding="unicode"), url


@pytest.mark.django_db
def test_inputs_icalendar_drops_control_characters(client):
    from outreach.events.models import Event
    from outreach.events.tests.factories import EventFactory

    event = EventFactory()
    Event.objects.filter(pk=event.pk).update(title=STORED)
    text = client.get(reverse("outreach:events_ics")).content.decode()
    assert "SUMMARY:Tags on the fence" in text
    assert not any(c in text for c in "\x0b\x1f\x7f\x1b")


# --- Page numbers: a huge or a non-numeric page never answers 500 --------------------------------

PAGES = ["abc", "0", "-1", "99999999999999999999", "1e400", "9" * 5000]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "url_name", "query"),
    [
        ("resident", "outreach:news_list", ""),
        ("resident", "outreach:event_list", ""),
        ("resident", "outreach:journal_list", ""),
        ("resident", "core:search", "q=court&"),
        ("gr_analyst", "govrelations:staff_bill_list", ""),
        ("outreach_supervisor", "outreach:staff_social_records", ""),
    ],
)
def test_inputs_paginated_lists_answer_a_page_for_any_page_number(request, client_for, persona, url_name, query):
    client = (
        request.getfixturevalue("resident") if persona == "resident" else client_for(request.getfixturevalue(persona))
    )
    url = reverse(url_name)
    for page in PAGES:
        assert client.get(f"{url}?{query}page={page}").status_code == 200, page


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_inputs_open311_huge_or_bad_page_is_a_400_in_the_format(fmt):
    for page in PAGES:
        response = Client().get(f"/open311/v2/requests.{fmt}?page={page}")
        assert response.status_code == 400, page
        assert response["Content-Type"].startswith("application/json" if fmt == "json" else "text/xml")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "url_name"),
    [
        ("resident", "core:search"),
        ("outreach_supervisor", "outreach:staff_social_records"),
        ("supervisor", "prosecution:staff_concern_list"),
        ("gr_analyst", "govrelations:staff_bill_list"),
        ("jti_chief", "integrity:claim_list"),
        ("jti_chief", "integrity:allegation_list"),
    ],
)
def test_inputs_query_strings_lose_control_characters(request, client_for, persona, url_name):
    """Lists and searches read request.GET directly: a NUL there used to reach PostgreSQL."""
    client = (
        request.getfixturevalue("resident") if persona == "resident" else client_for(request.getfixturevalue(persona))
    )
    if persona.startswith("jti"):  # confidential lists ask for a recent sign-in
        session = client.session
        session["account_authentication_methods"] = [{"method": "password", "at": time.time()}]
        session["account_authentication_methods_user"] = str(request.getfixturevalue(persona).pk)
        session.save()
    response = client.get(reverse(url_name) + "?q=court%00%0b&status=%00&platform=%1f&page=%00")
    assert response.status_code == 200
    assert response.wsgi_request.GET["q"] == "court"


def test_inputs_only_control_characters_is_empty():
    assert forms.CharField(required=False, empty_value=None).clean("\x0b\x00 ") is None
    with pytest.raises(ValidationError):
        forms.CharField().clean("\x0b\x1f")
