"""Concerns get a public reference, separate from the reporter's tracking code (public pages and
Open311 use it), and their text is published only after staff review, by category.

Data steps (the unique constraint comes in the next migration: PostgreSQL refuses to alter a
table that has pending trigger events from an UPDATE in the same transaction):
- every existing concern gets a random public reference;
- existing concerns whose public text staff had edited count as published; every other text
  waits for review (it was public without one);
- merge notices name the original concern by its public reference, not its tracking code.
"""

import re
import secrets

from django.db import migrations, models

ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def _ref() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(12))


def forward(apps, schema_editor):
    Concern = apps.get_model("prosecution", "Concern")
    used = set()
    for pk in Concern.objects.filter(public_ref__isnull=True).values_list("pk", flat=True).iterator():
        ref = _ref()
        while ref in used:
            ref = _ref()
        used.add(ref)
        Concern.objects.filter(pk=pk).update(public_ref=ref)
    Concern.objects.exclude(public_description="").update(public_text_state="published")
    _merge_notices_forward(Concern, apps.get_model("prosecution", "ConcernUpdate"))


TRACK_LINK = re.compile(r"/track/([A-Z0-9]{6,12})/")


def _merge_notices_forward(Concern, ConcernUpdate):
    """Public updates written when a duplicate was merged named the original by its tracking
    code, with a link to its tracking page (shown on public pages and in Open311): name it by
    its public reference and link its public page instead."""
    for update in ConcernUpdate.objects.filter(kind__in=["status", "public_update"], text__contains="/track/"):
        text = update.text
        for code in set(TRACK_LINK.findall(text)):
            ref = Concern.objects.filter(tracking_code=code).values_list("public_ref", flat=True).first()
            if ref:
                text = text.replace(f"/track/{code}/", f"/concerns/{ref}/").replace(code, ref)
        if text != update.text:
            ConcernUpdate.objects.filter(pk=update.pk).update(text=text)


class Migration(migrations.Migration):
    dependencies = [
        ("prosecution", "0007_photo_public_versions"),
    ]

    operations = [
        migrations.AddField(
            model_name="category",
            name="text_publication",
            field=models.CharField(
                choices=[("after_review", "After staff review"), ("never", "Never"), ("at_once", "At once")],
                default="after_review",
                help_text="When the resident's words (or the public version staff write) appear on public pages and in Open311. The kind of concern, its area and its status are public at once in every case.",
                max_length=12,
                verbose_name="publish the resident's text",
            ),
        ),
        migrations.AddField(
            model_name="concern",
            name="public_ref",
            field=models.CharField(editable=False, max_length=16, null=True, verbose_name="public reference"),
        ),
        migrations.AddField(
            model_name="concern",
            name="public_text_state",
            field=models.CharField(
                choices=[("pending", "Awaiting review"), ("published", "Published"), ("withheld", "Not published")],
                default="pending",
                help_text="Whether staff published the text (the public version, else the resident's words).",
                max_length=10,
                verbose_name="public text",
            ),
        ),
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
