"""Open311 documents stay well-formed whatever the stored text holds, and what the API takes
in is cleaned like any form's input."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from prosecution.concerns.models import Concern, ConcernUpdate
from prosecution.concerns.models_categories import Category, Question
from prosecution.concerns.tests.factories import ConcernFactory, ConcernUpdateFactory
from prosecution.open311.keys import open311_client_create

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"
# XML-illegal characters, as a row written before inputs were cleaned (or by a script) may hold
# them (PostgreSQL itself refuses NUL and lone surrogates).
DIRTY = "Tags\x0b on\x1f the fence\x7f\x85\x1b"


def _parse(response, fmt: str):
    assert response.status_code == 200, response.content[:300]
    if fmt == "xml":
        return ET.fromstring(response.content)  # noqa: S314 (our own response)
    return json.loads(response.content.decode("utf-8"))


@pytest.fixture
def dirty_rows():
    """A public concern, its category, a public update and a question whose stored texts hold
    control characters (written straight to the database, as old rows could be)."""
    category = Category.objects.get(code="graffiti")
    Category.objects.filter(pk=category.pk).update(name=f"Graffiti{DIRTY}", description=DIRTY)
    concern = ConcernFactory(category=category, description=DIRTY, public_description=DIRTY)
    ConcernUpdateFactory(concern=concern, kind=ConcernUpdate.Kind.PUBLIC_UPDATE, text=DIRTY)
    Question.objects.filter(category=category).update(prompt=DIRTY, help_text=DIRTY)
    question = Question.objects.filter(category=category, datatype=Question.Datatype.SINGLE).first()
    if question is not None:
        question.options = [{"key": "fence", "name": DIRTY}]
        question.save(update_fields=["options"])
    return concern


@pytest.mark.parametrize("fmt", ["xml", "json"])
@pytest.mark.parametrize("path", ["requests", "services", "services/graffiti"])
def test_open311_documents_are_well_formed_with_control_characters_stored(dirty_rows, fmt, path):
    body = _parse(Client().get(f"{BASE}/{path}.{fmt}"), fmt)
    text = ET.tostring(body, encoding="unicode") if fmt == "xml" else json.dumps(body)
    assert "Tags on the fence" in text or "Graffiti" in text
    for char in ("\x0b", "\x1f", "\x7f", "\x85", "\x1b", "\\u000b", "\\u001f", "\\u001b"):
        assert char not in text


def test_open311_post_cleans_the_text_it_stores():
    _client, key = open311_client_create(name="Test app")
    response = Client().post(
        f"{BASE}/requests.json",
        {
            "api_key": key,
            "service_code": "graffiti",
            "lat": "38.5766",
            "long": "-121.4944",
            "description": "Fresh\x0b tags\x1b[31m\r\non the\x85 fence\x00",
            "first_name": "Ana\x00\tMaria",
            "attribute[surface]": "fence\x0b",
        },
    )
    assert response.status_code == 200, response.content
    concern = Concern.objects.get()
    assert concern.description == "Fresh tags[31m\r\non the fence"
    assert concern.contact_name == "Ana Maria"


@pytest.mark.parametrize("fmt", ["xml", "json"])
@pytest.mark.parametrize(
    "query", ["service_code=%00", "service_code=graffiti%00", "service_request_id=%00", "status=open%0b&page=1%00"]
)
def test_open311_query_with_control_characters_is_never_a_500(fmt, query):
    response = Client().get(f"{BASE}/requests.{fmt}?{query}")
    assert response.status_code in (200, 400)
    if fmt == "xml":
        ET.fromstring(response.content)  # noqa: S314 (our own response)
    else:
        json.loads(response.content)
