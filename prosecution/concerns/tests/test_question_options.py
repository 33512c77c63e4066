"""A category question's options (JSON edited in the admin) are checked on save with a clear
error, and the public form and Open311 survive options stored before the check."""

from __future__ import annotations

import pytest
from django.contrib.admin.sites import site as admin_site
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from prosecution.concerns.models import Concern
from prosecution.concerns.models_categories import Category, Question
from prosecution.concerns.tests.factories import ConcernFactory
from prosecution.open311.keys import open311_client_create

pytestmark = pytest.mark.django_db

BAD_OPTIONS = [
    ({"key": "yes", "name": "Yes"}, "Enter a list"),
    (["yes", "no"], "must be an object"),
    ([{"name": "Yes"}], 'needs a "key"'),
    ([{"key": "yes"}], 'needs a "name"'),
    ([{"key": "yes", "name": ""}], "cannot be empty"),
    ([{"key": "yes please", "name": "Yes"}], "letters, digits, hyphens and underscores"),
    ([{"key": "yes", "name": ["Yes"]}], "must be text"),
    ([{"key": "yes", "name": "Yes", "label": "x"}], 'unknown field "label"'),
    ([{"key": "yes", "name": "Yes"}, {"key": "yes", "name": "Also yes"}], "appears more than once"),
    ([], "needs at least one option"),
]


def _question(**fields) -> Question:
    category = Category.objects.get(code="graffiti")
    values = {"category": category, "code": "extra", "prompt": "Extra?", "prompt_es": "¿Extra?"}
    values["datatype"] = Question.Datatype.SINGLE
    return Question(**(values | fields))


@pytest.mark.parametrize(("options", "message"), BAD_OPTIONS)
def test_question_options_refused_on_save_with_a_clear_error(options, message):
    question = _question(options=options)
    with pytest.raises(ValidationError) as exc:
        question.full_clean()
    errors = " ".join(exc.value.message_dict["options"])
    assert message in errors


def test_question_options_cleaned_and_kept_when_well_formed():
    question = _question(options=[{"key": "yes", "name": " Yes\x0b ", "name_es": "Sí"}, {"key": 2, "name": "Two"}])
    question.full_clean()
    assert question.options == [{"key": "yes", "name": "Yes", "name_es": "Sí"}, {"key": "2", "name": "Two"}]
    text = _question(datatype=Question.Datatype.TEXT, options=[{"key": "yes", "name": "Yes"}])
    with pytest.raises(ValidationError, match="Only list questions take options"):
        text.full_clean()


def test_question_options_admin_inline_shows_the_error(administrator):
    """The category admin's question inline runs the same check (a ModelForm's full_clean)."""
    category = Category.objects.get(code="graffiti")
    request = RequestFactory().get("/admin/")
    request.user = administrator
    inline = admin_site._registry[Category].get_inline_instances(request, category)[0]
    formset_class = inline.get_formset(request, category)
    data = {
        "questions-TOTAL_FORMS": "1",
        "questions-INITIAL_FORMS": "0",
        "questions-0-code": "extra",
        "questions-0-datatype": "singlevaluelist",
        "questions-0-order": "5",
        "questions-0-prompt": "Extra?",
        "questions-0-prompt_es": "¿Extra?",
        "questions-0-options": '[{"key": "yes"}]',
    }
    formset = formset_class(data, instance=category, prefix="questions")
    assert not formset.is_valid()
    assert 'Item 1 needs a "name".' in formset.forms[0].errors["options"]


@pytest.fixture
def broken_options():
    """Options saved before the check (or by a script): every shape that used to raise."""
    category = Category.objects.get(code="graffiti")
    Question.objects.filter(category=category, code="surface").update(
        options=[{"key": "fence", "name": "Fence"}, "wall", {"name": "no key"}, {"key": ["x"]}, {"key": "door"}]
    )
    Question.objects.filter(category=category, code="offensive").update(options={"yes": "Yes"})
    return category


def test_question_options_broken_rows_do_not_break_the_public_form(resident, broken_options):
    for language in ("en", "es"):
        with translation.override(language):
            url = reverse("prosecution:report_form", kwargs={"code": "graffiti"})
        response = resident.get(url)
        assert response.status_code == 200
        assert 'value="fence"' in response.content.decode()
        assert 'value="door"' in response.content.decode()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_question_options_broken_rows_do_not_break_open311(broken_options, fmt):
    api = Client()
    response = api.get(f"/open311/v2/services/graffiti.{fmt}")
    assert response.status_code == 200
    assert "fence" in response.content.decode()
    _client, key = open311_client_create(name="Test app")
    response = api.post(
        f"/open311/v2/requests.{fmt}",
        {
            "api_key": key,
            "service_code": "graffiti",
            "lat": "38.5766",
            "long": "-121.4944",
            "description": "Fresh tags",
            "attribute[surface]": "wall",
        },
    )
    assert response.status_code == 400  # "wall" is not a well-formed option: refused, no 500


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (["fence"], "Enter an object of codes and values"),
        ({"surface": {"nested": 1}}, '"surface" must be a text, a number or a list of them.'),
        ({"surface": [True]}, '"surface" must be a text'),
    ],
)
def test_concern_answers_refused_on_save_with_a_clear_error(answers, message):
    concern = ConcernFactory.build(category=Category.objects.get(code="graffiti"), answers=answers)
    with pytest.raises(ValidationError) as exc:
        concern.clean()
    assert message in " ".join(exc.value.message_dict["answers"])


@pytest.mark.parametrize("answers", [["fence"], {"surface": {"nested": 1}}, {"surface": [{"a": 1}, "fence"]}])
def test_concern_answers_in_another_shape_do_not_break_the_staff_page(client_for, supervisor, answers):
    concern = ConcernFactory(category=Category.objects.get(code="graffiti"))
    Concern.objects.filter(pk=concern.pk).update(answers=answers)
    url = reverse("prosecution:staff_concern_detail", kwargs={"public_id": concern.public_id})
    assert client_for(supervisor).get(url).status_code == 200
