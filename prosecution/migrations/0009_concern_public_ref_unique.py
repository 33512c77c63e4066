import django.db.models
from django.db import migrations, models

import prosecution.concerns.models


class Migration(migrations.Migration):
    dependencies = [
        ("prosecution", "0008_concern_public_ref_text_review"),
    ]

    operations = [
        migrations.AlterField(
            model_name="concern",
            name="public_ref",
            field=models.CharField(
                default=prosecution.concerns.models.public_ref_new,
                editable=False,
                max_length=16,
                unique=True,
                verbose_name="public reference",
            ),
        ),
        migrations.AddIndex(
            model_name="concern",
            index=models.Index(
                condition=django.db.models.Q(("public_text_state", "pending")),
                fields=["created_at"],
                name="prosecution_concern_text_idx",
            ),
        ),
    ]
