"""Who wrote a wrongful-conviction claim (the person convicted, or someone on their behalf),
with the writer's name, relationship and contact, and how each prefers to be reached.

Claims received before keep an empty "who is writing" (unknown: the form did not ask). The
screening disposition is chosen by staff, never preselected: a claim not yet disposed of
carries no disposition, so one set on an undecided claim is cleared; decided (disposed) claims
are left exactly as they are."""

from django.db import migrations, models

PREFERENCES = [
    ("mail", "Letter by mail"),
    ("phone", "Phone"),
    ("email", "E-mail"),
    ("writer", "Through the person who wrote"),
]


def clear_undecided_dispositions(apps, schema_editor):
    Claim = apps.get_model("integrity", "Claim")
    Claim.objects.exclude(status="disposed").exclude(disposition="").update(disposition="")


class Migration(migrations.Migration):
    dependencies = [("integrity", "0009_records_legal_hold_constraint")]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="claimant_contact_preference",
            field=models.CharField(
                blank=True,
                choices=PREFERENCES,
                max_length=16,
                verbose_name="how the person convicted prefers to be reached",
            ),
        ),
        migrations.AddField(
            model_name="claim",
            name="writer",
            field=models.CharField(
                blank=True,
                choices=[
                    ("self", "The person convicted"),
                    ("family", "A family member"),
                    ("counsel", "Their lawyer"),
                    ("innocence_org", "An innocence organization"),
                    ("other", "Someone else"),
                ],
                max_length=16,
                verbose_name="who is writing",
            ),
        ),
        migrations.AddField(
            model_name="claim",
            name="writer_contact",
            field=models.TextField(blank=True, verbose_name="how to reach the writer"),
        ),
        migrations.AddField(
            model_name="claim",
            name="writer_contact_preference",
            field=models.CharField(
                blank=True, choices=PREFERENCES, max_length=16, verbose_name="how the writer prefers to be reached"
            ),
        ),
        migrations.AddField(
            model_name="claim",
            name="writer_email",
            field=models.EmailField(blank=True, max_length=254, verbose_name="writer's e-mail"),
        ),
        migrations.AddField(
            model_name="claim",
            name="writer_name",
            field=models.CharField(blank=True, max_length=150, verbose_name="writer's name"),
        ),
        migrations.AddField(
            model_name="claim",
            name="writer_relationship",
            field=models.CharField(
                blank=True, max_length=150, verbose_name="writer's relationship to the person convicted"
            ),
        ),
        migrations.RunPython(clear_undecided_dispositions, migrations.RunPython.noop),
    ]
