"""The officer lookup of the disclosure index (badge numbers; prosecutors and JTI may ask
whether an officer has an entry) and the two-person step for a JTI Chief's conflict wall."""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import integrity.records.models
from jcr.accounts import roles

LOOKUP = ["integrity.lookup_disclosure_index"]


def grants(apps, schema_editor):
    for role in (roles.COMMUNITY_PROSECUTOR, roles.CPU_SUPERVISOR, roles.JTI_STAFF, roles.JTI_CHIEF):
        roles.roles_grant(apps, role, LOOKUP)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_role_groups"),
        ("integrity", "0012_legal_rules_seed"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="disclosureentry",
            options={
                "ordering": ["officer_name", "id"],
                "permissions": [("lookup_disclosure_index", "Can ask whether an officer has a disclosure index entry")],
                "verbose_name": "disclosure index entry",
                "verbose_name_plural": "disclosure index entries",
            },
        ),
        migrations.AddField(
            model_name="disclosureentry",
            name="badge_number",
            field=models.CharField(
                blank=True,
                db_index=True,
                help_text="As the agency issues it; a lookup by badge compares it without spaces or dashes.",
                max_length=30,
                verbose_name="badge number",
            ),
        ),
        migrations.CreateModel(
            name="ClaimWallChange",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("lift", models.BooleanField(default=False, verbose_name="lift the wall")),
                ("reason", models.TextField(blank=True, verbose_name="reason")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Waiting for a second person"),
                            ("confirmed", "Confirmed: done"),
                            ("rejected", "Rejected"),
                        ],
                        default="pending",
                        max_length=16,
                        verbose_name="status",
                    ),
                ),
                ("proposed_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="proposed")),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="decided")),
                (
                    "claim",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="wall_changes",
                        to="integrity.claim",
                        verbose_name="claim",
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="decided by",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="person",
                    ),
                ),
                (
                    "proposed_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="proposed by",
                    ),
                ),
            ],
            options={
                "verbose_name": "conflict wall change",
                "verbose_name_plural": "conflict wall changes",
                "ordering": ["-proposed_at", "-id"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("status", "pending")),
                        fields=("claim", "person"),
                        name="integrity_claimwallchange_one_pending",
                    )
                ],
            },
            bases=(integrity.records.models.Confidential, models.Model),
        ),
        migrations.RunPython(grants, migrations.RunPython.noop),
    ]
