"""Every JSON field a person can edit in the admin is checked on save with a clear error."""

from __future__ import annotations

import pytest
from django.contrib.admin.sites import site as admin_site
from django.core.exceptions import ValidationError
from django.db.models import JSONField
from django.test import RequestFactory

from govrelations.models import BillDocument
from jcr.core.structured import TEXT, URL, json_date_list, json_object_list, json_text_list

pytestmark = pytest.mark.django_db

# Checked elsewhere: the area form validates GeoJSON (jcr.core.geo); allauth's own rows.
NOT_HERE = {("core", "area", "geometry")}
NOT_OURS = {"mfa", "usersessions"}
GARBAGE = '[{"unexpected": {"shape": 1}}]'


def _editable_json_forms(request):
    """(label, form class, JSON field names) of every admin form and inline a superuser edits."""
    for model, model_admin in admin_site._registry.items():
        if model._meta.app_label in NOT_OURS:
            continue
        forms = []
        if model_admin.has_add_permission(request) or model_admin.has_change_permission(request):
            forms.append((model, model_admin.get_form(request, obj=None)))
        for inline in model_admin.get_inline_instances(request):
            if inline.has_add_permission(request, None) or inline.has_change_permission(request):
                forms.append((inline.model, inline.get_formset(request).form))
        for form_model, form_class in forms:
            names = [
                f.name
                for f in form_model._meta.get_fields()
                if isinstance(f, JSONField)
                and f.name in form_class.base_fields
                and (form_model._meta.app_label, form_model._meta.model_name, f.name) not in NOT_HERE
            ]
            if names:
                yield f"{form_model._meta.label}", form_class, names


def test_structured_every_admin_json_field_refuses_a_wrong_shape(admin_user):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    checked, unchecked = [], []
    for label, form_class, names in _editable_json_forms(request):
        form = form_class(data=dict.fromkeys(names, GARBAGE))
        form.is_valid()
        for name in names:
            (checked if name in form.errors else unchecked).append(f"{label}.{name}")
    assert unchecked == []
    assert {"prosecution.Question.options", "govrelations.BillDocument.links"} <= set(checked)


@pytest.mark.parametrize(
    ("check", "value", "message"),
    [
        (json_text_list, ["bill", ""], "Item 2 must be text of 1 to 200 characters."),
        (json_text_list, "bill", "Enter a list"),
        (json_date_list, ["2027-02-30"], "Item 1 must be a date written YYYY-MM-DD."),
        (json_date_list, [20270301], "Item 1 must be a date"),
    ],
)
def test_structured_lists_explain_what_is_wrong(check, value, message):
    with pytest.raises(ValidationError) as exc:
        check(value, example="[...]")
    assert any(message in m for m in exc.value.messages)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "//evil.example", "ftp://x.example/a"])
def test_structured_document_links_are_web_addresses_only(url):
    document = BillDocument(links=[{"url": url, "media_type": "text/html"}])
    with pytest.raises(ValidationError) as exc:
        document.clean()
    assert "must be a web address" in " ".join(exc.value.message_dict["links"])


def test_structured_object_list_cleans_good_values():
    value = [{"url": " https://leginfo.example/ab1 ", "media_type": "text/html\x0b"}]
    fields = {"url": URL, "media_type": TEXT}
    assert json_object_list(value, fields=fields, required=("url",), example="[]") == [
        {"url": "https://leginfo.example/ab1", "media_type": "text/html"}
    ]


@pytest.mark.parametrize(
    ("task", "args", "kwargs", "field", "message"),
    [
        ("jcr.core.no_such_task", "[]", "{}", "regtask", "No task is called"),
        ("jcr.core.outbound_email_send", '{"a": 1}', "{}", "args", "must be a JSON list"),
        ("jcr.core.outbound_email_send", "[]", '["email_id", 1]', "kwargs", "must be a JSON object"),
        ("jcr.core.outbound_email_send", "[]", '{"email": 1}', "kwargs", "do not fit the task"),
        ("jcr.core.outbound_email_send", "[1]", "{}", "kwargs", "do not fit the task"),
    ],
)
def test_structured_schedules_refuse_arguments_the_task_cannot_take(task, args, kwargs, field, message):
    """A periodic task edited in the admin: the task exists and its arguments fit it."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    form_class = admin_site._registry[PeriodicTask].form
    interval = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.MINUTES)
    data = {"name": "A schedule", "task": task, "args": args, "kwargs": kwargs, "interval": interval.pk}
    data |= {"enabled": "on", "queue": "", "exchange": "", "routing_key": "", "priority": "", "headers": "{}"}
    form = form_class(data=data)
    assert not form.is_valid()
    assert message in " ".join(form.errors.get(field, [])), form.errors
    good = form_class(data=data | {"args": "[]", "kwargs": '{"email_id": 1}', "task": "jcr.core.outbound_email_send"})
    for name in ("task", "regtask", "args", "kwargs"):
        assert name not in good.errors, good.errors
