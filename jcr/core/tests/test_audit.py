"""The audit trail: append-only in the database, request facts recorded, admin changes kept."""

from __future__ import annotations

import json

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from jcr.core.audit import audit_record
from jcr.core.models import Area, AuditEntry
from jcr.core.tests.factories import AreaFactory, square

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    return audit_record(action="test.thing", object_type="test.thing", object_id="1", after={"a": 1})


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
class TestAppendOnly:
    def test_raw_update_is_refused(self, entry):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE core_auditentry SET action = 'forged' WHERE id = %s", [entry.pk])
        entry.refresh_from_db()
        assert entry.action == "test.thing"

    def test_raw_delete_is_refused(self, entry):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [entry.pk])
        assert AuditEntry.objects.filter(pk=entry.pk).exists()

    def test_orm_update_is_refused(self, entry):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AuditEntry.objects.filter(pk=entry.pk).update(action="forged")
        entry.refresh_from_db()
        assert entry.action == "test.thing"

    def test_orm_delete_is_refused(self, entry):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AuditEntry.objects.filter(pk=entry.pk).delete()
        assert AuditEntry.objects.filter(pk=entry.pk).exists()

    def test_insert_still_works(self, entry):
        audit_record(action="test.other", object_type="test.thing", object_id="2")
        assert AuditEntry.objects.count() == 2


def test_audit_record_without_request_has_no_actor(entry):
    assert entry.actor_id is None
    assert entry.ip is None
    assert entry.request_id == ""


def _area_form(area: Area, **changes) -> dict:
    data = {
        "kind": area.kind,
        "name": area.name,
        "slug": area.slug,
        "geometry": json.dumps(area.geometry),
        "source": area.source,
        "assignments-TOTAL_FORMS": "0",
        "assignments-INITIAL_FORMS": "0",
        "assignments-MIN_NUM_FORMS": "0",
        "assignments-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_admin_change_is_audited_with_request_facts(administrator, client_for, settings):
    settings.JCR_TRUSTED_PROXIES = 1  # the proxy's X-Request-ID is kept
    area = AreaFactory(name="Old name", lon=-121.5, lat=38.5)
    url = reverse("admin:core_area_change", args=[area.pk])
    client = client_for(administrator)

    response = client.post(
        url,
        _area_form(area, name="New name", geometry=json.dumps(square(-121.4, 38.6, 0.05))),
        HTTP_X_REQUEST_ID="req-12345678",
        REMOTE_ADDR="203.0.113.7",
    )

    assert response.status_code == 302
    assert response["X-Request-ID"] == "req-12345678"
    area.refresh_from_db()
    assert area.name == "New name"
    assert (area.min_lon, area.min_lat) == pytest.approx((-121.4, 38.6))
    assert (area.max_lon, area.max_lat) == pytest.approx((-121.35, 38.65))
    entry = AuditEntry.objects.get(action="admin.change")
    assert entry.object_type == "core.area"
    assert entry.object_id == str(area.public_id)
    assert entry.actor_id == administrator.pk
    assert entry.actor_label == administrator.email
    assert entry.request_id == "req-12345678"
    assert entry.ip == "203.0.113.7"
    assert entry.before["name"] == "Old name"
    assert entry.after["name"] == "New name"
    assert entry.before["min_lon"] == pytest.approx(-121.5)
    assert entry.after["min_lon"] == pytest.approx(-121.4)
    assert "source" not in entry.after  # only what changed


def test_a_malformed_request_id_is_replaced(administrator, client_for, settings):
    settings.JCR_TRUSTED_PROXIES = 1
    area = AreaFactory()
    response = client_for(administrator).post(
        reverse("admin:core_area_change", args=[area.pk]),
        _area_form(area, name="Renamed"),
        HTTP_X_REQUEST_ID="bad id; drop table",
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="admin.change")
    assert entry.request_id == response["X-Request-ID"]
    assert entry.request_id != "bad id; drop table"
    assert len(entry.request_id) == 32


def test_admin_refuses_an_invalid_boundary(administrator, client_for):
    area = AreaFactory(name="Kept")
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[-121.5, 38.5], [-121.4, 38.6], [-121.4, 38.5], [-121.5, 38.6], [-121.5, 38.5]]],
    }
    response = client_for(administrator).post(
        reverse("admin:core_area_change", args=[area.pk]),
        _area_form(area, name="Changed", geometry=json.dumps(bowtie)),
    )
    assert response.status_code == 200
    assert "geometry" in response.context["adminform"].form.errors
    area.refresh_from_db()
    assert area.name == "Kept"
    assert not AuditEntry.objects.exists()


def test_admin_delete_is_audited(administrator, client_for):
    area = AreaFactory(name="Gone")
    response = client_for(administrator).post(reverse("admin:core_area_delete", args=[area.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Area.objects.filter(pk=area.pk).exists()
    entry = AuditEntry.objects.get(action="admin.delete")
    assert entry.before["name"] == "Gone"
    assert entry.actor_id == administrator.pk
