"""Public intake of allegations and claims: saved before "received", receipts, attachment
checks by content with clear errors, nothing typed lost."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from integrity.records.models import Allegation, AllegationAttachment, Claim
from integrity.records.tests import factories as f
from jcr.core.abuse import form_timestamp
from jcr.core.models import OutboundEmail

pytestmark = pytest.mark.django_db

PDF = f.pdf_bytes()


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buffer, "PNG")
    return buffer.getvalue()


def allegation_data(**extra) -> dict:
    return {
        "description": "The prosecutor hid a witness statement.",
        "subject": "Deputy DA Example",
        "case_number": "23F04567",
        "name": "Robin Park",
        "email": "robin@example.org",
        "phone": "916-555-0100",
        "language": "en",
        "form_ts": form_timestamp(scope="misconduct_submit", seconds_ago=60),
    } | extra


def test_allegation_saved_with_receipt_attachments_and_email(client):
    files = [
        SimpleUploadedFile("statement.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("photo.png", png_bytes(), content_type="image/png"),
    ]
    response = client.post(reverse("integrity:allegation_report"), allegation_data(attachments=files))
    assert response.status_code == 302
    assert response["Location"].endswith(reverse("integrity:allegation_received"))
    allegation = Allegation.objects.get()
    assert allegation.status == Allegation.Status.RECEIVED
    assert allegation.source == "public"
    assert allegation.complainant_name == "Robin Park"
    assert sorted(AllegationAttachment.objects.values_list("content_type", flat=True)) == [
        "application/pdf",
        "image/png",
    ]
    for attachment in AllegationAttachment.objects.all():
        assert attachment.file.storage.exists(attachment.file.name)
        assert "private_media" in attachment.file.path
    page = client.get(response["Location"]).content.decode()
    assert allegation.receipt_number in page
    email = OutboundEmail.objects.get(template="integrity/allegation_received")
    assert email.to == "robin@example.org"
    assert allegation.receipt_number in email.body_text


def test_anonymous_allegation_keeps_no_name(client):
    data = allegation_data(anonymous="on", email="")
    assert client.post(reverse("integrity:allegation_report"), data).status_code == 302
    allegation = Allegation.objects.get()
    assert allegation.anonymous
    assert allegation.complainant_name == ""
    assert allegation.complainant_phone == ""
    assert not OutboundEmail.objects.exists()


def test_spanish_form(client):
    from django.utils import translation

    with translation.override("es"):
        url = reverse("integrity:allegation_report")
    response = client.get(url)
    assert response.status_code == 200
    assert 'lang="es"' in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.pdf", b"%PDF-1.7\nnot really a pdf", "damaged"),
        ("invoice.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "not a PDF, JPEG or PNG"),
        ("photo.jpg", b"MZ\x90\x00" + b"\x00" * 100, "not a PDF, JPEG or PNG"),
    ],
)
def test_bad_attachments_are_refused_with_a_clear_error_and_fields_kept(client, name, content, message):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client.post(reverse("integrity:allegation_report"), allegation_data(attachments=[upload]))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert name in page
    assert "The prosecutor hid a witness statement." in page
    assert "robin@example.org" in page
    assert "23F04567" in page
    assert not Allegation.objects.exists()


def test_too_large_attachment(client, settings):
    settings.JCR_UPLOAD_MAX_BYTES = 100
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * 200, content_type="application/pdf")
    response = client.post(reverse("integrity:allegation_report"), allegation_data(attachments=[upload]))
    assert response.status_code == 200
    assert "too large" in response.content.decode()
    assert not Allegation.objects.exists()


def test_missing_description_keeps_everything_else_and_asks_for_files_again(client):
    upload = SimpleUploadedFile("statement.pdf", PDF, content_type="application/pdf")
    response = client.post(
        reverse("integrity:allegation_report"), allegation_data(description="", attachments=[upload])
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Deputy DA Example" in page
    assert "916-555-0100" in page
    assert "choose them again" in page
    assert not Allegation.objects.exists()


def test_honeypot_refuses(client):
    response = client.post(reverse("integrity:allegation_report"), allegation_data(website="http://spam"))
    assert response.status_code == 200
    assert not Allegation.objects.exists()


def claim_data(**extra) -> dict:
    return {
        "writer": "self",
        "claimant_name": "Alex Roe",
        "case_number": "98F01234",
        "conviction_year": "1999",
        "summary": "DNA on the weapon was never tested.",
        "contact": "CDCR #A12345, Folsom",
        "email": "family@example.org",
        "has_counsel": "on",
        "counsel_name": "Jo Lawyer",
        "wants_counsel_contact": "on",
        "consent_records": "on",
        "language": "es",
        "form_ts": form_timestamp(scope="claim_submit", seconds_ago=60),
    } | extra


def test_claim_saved_with_receipt(client):
    response = client.post(reverse("integrity:claim_submit"), claim_data())
    assert response.status_code == 302
    claim = Claim.objects.get()
    assert claim.has_counsel
    assert claim.wants_counsel_contact
    assert claim.consent_records
    assert claim.counsel_name == "Jo Lawyer"
    assert claim.language == "es"
    assert claim.receipt_number in client.get(response["Location"]).content.decode()
    assert OutboundEmail.objects.get(template="integrity/claim_received").to == "family@example.org"


def test_claim_needs_consent(client):
    response = client.post(reverse("integrity:claim_submit"), claim_data(consent_records=""))
    assert response.status_code == 200
    assert "DNA on the weapon was never tested." in response.content.decode()
    assert not Claim.objects.exists()


def test_received_page_without_a_receipt(client):
    response = client.get(reverse("integrity:allegation_received"))
    assert response.status_code == 200
    assert "Nothing to show" in response.content.decode()


def test_claims_have_their_own_rate_limit(client, settings):
    """Wrongful-conviction claims are counted under `claim_submit`: allegations sent from the
    same address do not use up the claim form's allowance, and the reverse."""
    settings.JCR_RATE_LIMITS = {**settings.JCR_RATE_LIMITS, "misconduct_submit": "1/h/ip", "claim_submit": "1/h/ip"}
    assert client.post(reverse("integrity:allegation_report"), allegation_data()).status_code == 302
    assert client.post(reverse("integrity:claim_submit"), claim_data()).status_code == 302
    response = client.post(reverse("integrity:claim_submit"), claim_data(case_number="01F00001"))
    assert response.status_code == 200
    assert b"Too many submissions" in response.content
    assert Claim.objects.count() == 1
    assert Allegation.objects.count() == 1
