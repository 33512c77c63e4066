"""Photos get a public address (a random public_id) and can have a redacted public version."""

import uuid

from django.db import migrations, models


def public_ids_fill(apps, schema_editor):
    ConcernPhoto = apps.get_model("prosecution", "ConcernPhoto")
    for photo in ConcernPhoto.objects.filter(public_id__isnull=True).only("pk").iterator():
        ConcernPhoto.objects.filter(pk=photo.pk).update(public_id=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("prosecution", "0006_transparency"),
    ]

    operations = [
        migrations.AddField(
            model_name="concernphoto",
            name="public_id",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(public_ids_fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="concernphoto",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AddField(
            model_name="concernphoto",
            name="public_image",
            field=models.CharField(blank=True, max_length=255, verbose_name="redacted file"),
        ),
        migrations.AddField(
            model_name="concernphoto",
            name="public_thumbnail",
            field=models.CharField(blank=True, max_length=255, verbose_name="redacted thumbnail"),
        ),
        migrations.AddField(
            model_name="concernphoto",
            name="redactions",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text='Rectangles in percent of the photo: [{"x": 10, "y": 20, "width": 30, "height": 15}].',
                verbose_name="redacted regions",
            ),
        ),
    ]
