"""The Spanish of a position's public reasons: written with the proposal or later in admin,
shown on the Spanish bill page; without it the page says so and marks the English."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation

from govrelations.bills.tests.factories import BillFactory
from govrelations.positions.tests.factories import ApprovedPositionFactory
from jcr.core.models import AuditEntry

pytestmark = pytest.mark.django_db

NOTICE = "Este contenido aún no está disponible en español."


def _bill_url(position, language="es"):
    with translation.override(language):
        return reverse("govrelations:bill_detail", kwargs={"public_id": position.bill.public_id})


def test_spanish_bill_page_shows_the_spanish_reasons(client):
    position = ApprovedPositionFactory(reasons="Protects victims.", reasons_es="Protege a las víctimas.")
    body = client.get(_bill_url(position)).content.decode()
    assert "Protege a las víctimas." in body
    assert "Protects victims." not in body
    assert NOTICE not in body


def test_without_spanish_reasons_the_page_says_so_and_marks_the_english(client):
    position = ApprovedPositionFactory(reasons="Protects victims.")
    body = client.get(_bill_url(position)).content.decode()
    assert NOTICE in body
    assert '<div lang="en"><p>Protects victims.</p></div>' in body


def test_the_analyst_writes_the_spanish_reasons_with_the_proposal(client, gr_analyst):
    bill = BillFactory()
    client.force_login(gr_analyst)
    page = client.get(reverse("govrelations:staff_bill_analysis", kwargs={"public_id": bill.public_id}))
    assert 'name="reasons_es"' in page.content.decode()
    client.post(
        reverse("govrelations:staff_position_propose", kwargs={"public_id": bill.public_id}),
        {"stance": "support", "reasons": "Protects victims.", "reasons_es": " Protege a las víctimas. "},
    )
    assert bill.positions.get().reasons_es == "Protege a las víctimas."


def test_admin_edits_the_spanish_reasons_of_an_approved_position(client_for, administrator):
    position = ApprovedPositionFactory()
    administrator.user_permissions.add(Permission.objects.get(codename="change_position"))
    body = client_for(administrator).get(f"/admin/govrelations/position/{position.pk}/change/").content.decode()
    assert 'name="reasons_es"' in body
    assert 'name="reasons"' not in body  # the English reasons stay as approved


@pytest.mark.parametrize(("reasons_es", "listed"), [("Protege a las víctimas.", True), ("", False)])
def test_sitemap_lists_the_spanish_bill_page_only_with_spanish_reasons(client, reasons_es, listed):
    position = ApprovedPositionFactory(reasons_es=reasons_es)
    body = client.get("/sitemap.xml").content.decode()
    assert _bill_url(position, "en") in body
    assert (_bill_url(position) in body) is listed


def test_staff_add_the_spanish_reasons_after_the_sign_off(client, gr_analyst):
    position = ApprovedPositionFactory(reasons="Protects victims.")
    client.force_login(gr_analyst)
    analysis = reverse("govrelations:staff_bill_analysis", kwargs={"public_id": position.bill.public_id})
    action = reverse("govrelations:staff_position_spanish", kwargs={"public_id": position.public_id})
    assert action in client.get(analysis).content.decode()
    assert client.post(action, {"reasons_es": "Protege a las víctimas."}).status_code == 302
    position.refresh_from_db()
    assert position.reasons_es == "Protege a las víctimas."
    assert position.reasons == "Protects victims."
    assert AuditEntry.objects.filter(action="govrelations.position.spanish", actor=gr_analyst).exists()
