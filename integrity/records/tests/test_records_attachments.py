"""Staff download of allegation attachments: JTI only, recent sign-in, logged, served from
the private storage as an attachment with the verified type and nosniff; 404 otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.urls import reverse

from integrity.records.access import REAUTH_AFTER_SECONDS
from integrity.records.models import AllegationAttachment
from integrity.records.tests import factories as f
from integrity.records.tests.test_records_access import NON_JTI_STAFF, signed_in
from jcr.core.models import AuditEntry

pytestmark = pytest.mark.django_db

PDF = f.pdf_bytes()


def _attachment(allegation=None, *, content=PDF, content_type="application/pdf", name="witness statement.pdf"):
    allegation = allegation or f.allegation()
    attachment = AllegationAttachment(
        allegation=allegation, original_name=name, content_type=content_type, size=len(content)
    )
    attachment.file.save("upload.pdf", ContentFile(content), save=False)
    attachment.save()
    return attachment


def _url(attachment):
    return reverse(
        "integrity:allegation_attachment",
        kwargs={"public_id": attachment.allegation.public_id, "attachment_id": attachment.pk},
    )


@pytest.mark.parametrize("persona", ["jti_staff", "jti_chief"])
def test_jti_download_from_the_private_storage_and_it_is_logged(persona, personas, client_for, tmp_path, settings):
    settings.JCR_PRIVATE_MEDIA_ROOT = str(tmp_path / "vault")
    attachment = _attachment()
    assert Path(attachment.file.path).is_relative_to(tmp_path / "vault")
    client = signed_in(client_for, personas[persona])
    detail = reverse("integrity:allegation_detail", kwargs={"public_id": attachment.allegation.public_id})
    assert _url(attachment) in client.get(detail).content.decode()
    response = client.get(_url(attachment))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "witness" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    entry = AuditEntry.objects.filter(action="integrity.record.view", after__attachment=attachment.pk).get()
    assert entry.actor_id == personas[persona].pk
    assert entry.object_id == str(attachment.allegation.public_id)
    client.get(_url(attachment))
    assert AuditEntry.objects.filter(after__attachment=attachment.pk).count() == 2


def test_the_file_is_not_under_media_root(db):
    attachment = _attachment()
    assert not Path(attachment.file.path).is_relative_to(Path(django_settings.MEDIA_ROOT))
    assert attachment.file.storage.base_url is None


@pytest.mark.parametrize(
    ("content", "content_type", "name"),
    [
        (b"<script>alert(1)</script>", "text/html", "x.html"),  # a type no check verified
        (b"<html><script>alert(1)</script></html>", "application/pdf", "x.pdf"),  # bytes that are not its type
    ],
)
def test_unverified_or_mismatched_file_is_refused(jti_staff, client_for, content, content_type, name):
    attachment = _attachment(content=content, content_type=content_type, name=name)
    assert signed_in(client_for, jti_staff).get(_url(attachment)).status_code == 404
    assert not AuditEntry.objects.filter(action="integrity.record.view").exists()
    assert AuditEntry.objects.filter(action="integrity.record.denied", after__reason="not_found").count() == 1


@pytest.mark.parametrize(
    ("name", "content_type", "content", "download"),
    [
        ("statement.html", "application/pdf", PDF, "statement.pdf"),
        ("photo.pdf.html", "image/png", b"\x89PNG\r\n\x1a\n....", "photo.pdf.png"),
        ("scan", "image/jpeg", b"\xff\xd8\xff\xe0....", "scan.jpg"),
        ("", "application/pdf", PDF, "attachment.pdf"),
    ],
)
def test_download_name_has_the_extension_of_the_verified_type(
    jti_staff, client_for, name, content_type, content, download
):
    attachment = _attachment(content=content, content_type=content_type, name=name)
    response = signed_in(client_for, jti_staff).get(_url(attachment))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{download}"'


def _hybrids() -> list:
    pdf = f.pdf_bytes()
    return [
        pytest.param(b"<html><body><script>alert(1)</script>\n" + pdf, id="html-before-the-pdf"),
        pytest.param(pdf + b"<html><script>alert(1)</script></html>\n", id="html-after-the-end"),
        pytest.param(pdf.replace(b"\n", b"\n%<script>alert(1)</script>\n", 1), id="html-in-a-comment"),
        pytest.param(b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\nstartxref\n9\n%%EOF\n", id="no-page-tree"),
    ]


@pytest.mark.parametrize("content", _hybrids())
def test_html_pdf_hybrids_and_unparseable_pdfs_are_refused(content):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from integrity.records.attachments import attachment_validate

    with pytest.raises(ValidationError):
        attachment_validate(SimpleUploadedFile("statement.pdf", content, content_type="application/pdf"))


def test_a_sound_pdf_is_accepted_as_a_pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from integrity.records.attachments import attachment_validate

    clean = attachment_validate(SimpleUploadedFile("statement.html", f.pdf_bytes(), content_type="text/html"))
    assert (clean.content_type, clean.extension) == ("application/pdf", "pdf")


@pytest.mark.parametrize("persona", NON_JTI_STAFF)
def test_staff_outside_jti_get_404(persona, personas, client_for):
    attachment = _attachment()
    assert signed_in(client_for, personas[persona]).get(_url(attachment)).status_code == 404
    assert not AuditEntry.objects.filter(action="integrity.record.view").exists()


def test_residents_and_visitors_are_refused(personas, client_for):
    attachment = _attachment()
    assert client_for(personas["resident_user"]).get(_url(attachment)).status_code == 403
    response = client_for(None).get(_url(attachment))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_soft_deleted_allegation_missing_file_and_other_allegation_get_404(jti_staff, client_for):
    client = signed_in(client_for, jti_staff)
    deleted = _attachment(f.allegation(is_deleted=True))
    assert client.get(_url(deleted)).status_code == 404
    other = _attachment()
    mixed = reverse(
        "integrity:allegation_attachment",
        kwargs={"public_id": f.allegation().public_id, "attachment_id": other.pk},
    )
    assert client.get(mixed).status_code == 404
    gone = _attachment()
    Path(gone.file.path).unlink()
    assert client.get(_url(gone)).status_code == 404
    assert not AuditEntry.objects.filter(action="integrity.record.view").exists()


def test_download_needs_a_recent_sign_in(jti_staff, client_for):
    attachment = _attachment()
    response = signed_in(client_for, jti_staff, seconds_ago=REAUTH_AFTER_SECONDS + 5).get(_url(attachment))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not AuditEntry.objects.filter(action="integrity.record.view").exists()
