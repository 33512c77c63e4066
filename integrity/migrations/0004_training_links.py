"""Bulletins link to Government Relations' bills and to any number of policies; the MCLE rules
and compliance groups are validated data with help text; the JTI Chief's training admin
permissions.

The old free-text "related bill" becomes "other reference": where its text names exactly one
bill of the tracker (e.g. "SB 1234" or "SB 1234 (2026)"), the bulletin links to that bill and
the text is cleared; otherwise the text stays as the other reference. The single related
policy becomes the first of the bulletin's policies."""

import re
from decimal import Decimal

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

from jcr.accounts import roles

BILL_TEXT = re.compile(r"^\s*([A-Za-z]{1,5})\.?\s*-?\s*0*(\d{1,6})\s*(?:\(\s*([^()]*?)\s*\))?\s*$")

# Admin screens of the training rules: the rule set (with its category minimums inline) and the
# compliance groups. The JTI Chief already views, adds and changes them (0001); a group may
# now also be removed when the letter ranges are reorganised.
CHIEF_TRAINING_ADMIN = [
    "integrity.view_mcleruleset", "integrity.add_mcleruleset", "integrity.change_mcleruleset",
    "integrity.view_mclecategoryminimum", "integrity.add_mclecategoryminimum",
    "integrity.change_mclecategoryminimum", "integrity.delete_mclecategoryminimum",
    "integrity.view_compliancegroup", "integrity.add_compliancegroup", "integrity.change_compliancegroup",
    "integrity.delete_compliancegroup",
]  # fmt: skip


def _bill_for(Bill, text):
    match = BILL_TEXT.match(text or "")
    if not match:
        return None
    letters, number, session = match.groups()
    bills = Bill.objects.filter(identifier__iexact=f"{letters.upper()} {int(number)}")
    if session:
        bills = bills.filter(
            models.Q(session__identifier__iexact=session) | models.Q(session__identifier__contains=session)
        )
    found = list(bills[:2])
    return found[0] if len(found) == 1 else None


def links_forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # Fire the foreign-key checks of the rows written here now, so that the column removed
        # below does not meet pending trigger events in the same transaction.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    Bulletin = apps.get_model("integrity", "Bulletin")
    Bill = apps.get_model("govrelations", "Bill")
    for bulletin in Bulletin.objects.exclude(related_policy=None):
        bulletin.policies.add(bulletin.related_policy_id)
    for bulletin in Bulletin.objects.filter(bill=None).exclude(other_reference=""):
        bill = _bill_for(Bill, bulletin.other_reference)
        if bill is not None:
            Bulletin.objects.filter(pk=bulletin.pk).update(bill=bill, other_reference="", other_reference_url="")


def links_backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    Bulletin = apps.get_model("integrity", "Bulletin")
    for bulletin in Bulletin.objects.prefetch_related("policies").select_related("bill__session"):
        first = min(bulletin.policies.all(), key=lambda p: p.number, default=None)
        text = bulletin.other_reference
        if bulletin.bill_id and not text:
            text = f"{bulletin.bill.identifier} ({bulletin.bill.session.identifier})"
        Bulletin.objects.filter(pk=bulletin.pk).update(related_policy=first, other_reference=text[:200])


def grants(apps, schema_editor):
    roles.roles_grant(apps, roles.JTI_CHIEF, CHIEF_TRAINING_ADMIN)


class Migration(migrations.Migration):
    dependencies = [
        ("govrelations", "0002_roles_schedules"),
        ("integrity", "0003_records"),
        ("accounts", "0002_role_groups"),
    ]

    operations = [
        # Bulletins: a bill record, policies, and the free text as "other reference".
        migrations.AlterField(
            model_name="bulletin",
            name="related_policy",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                to="integrity.policy", verbose_name="related policy",
            ),
        ),  # fmt: skip
        migrations.RenameField(model_name="bulletin", old_name="related_bill", new_name="other_reference"),
        migrations.RenameField(model_name="bulletin", old_name="related_bill_url", new_name="other_reference_url"),
        migrations.AlterField(
            model_name="bulletin",
            name="other_reference",
            field=models.CharField(
                blank=True, help_text="A bill not in the tracker, a case or another source, e.g. SB 1234 (2026).",
                max_length=200, verbose_name="other reference",
            ),
        ),  # fmt: skip
        migrations.AlterField(
            model_name="bulletin",
            name="other_reference_url",
            field=models.URLField(blank=True, verbose_name="address of the other reference"),
        ),
        migrations.AddField(
            model_name="bulletin",
            name="bill",
            field=models.ForeignKey(
                blank=True, help_text="A bill in Government Relations' tracker, e.g. SB 1234 (20252026).", null=True,
                on_delete=django.db.models.deletion.SET_NULL, related_name="legal_updates", to="govrelations.bill",
                verbose_name="related bill",
            ),
        ),  # fmt: skip
        migrations.AddField(
            model_name="bulletin",
            name="policies",
            field=models.ManyToManyField(
                blank=True, related_name="bulletins", to="integrity.policy", verbose_name="related policies"
            ),
        ),
        # A one-time conversion of old rows: not replayed by tests/browser/seed.py (it reads
        # fields that no longer exist in the current models).
        migrations.RunPython(links_forward, links_backward, hints={"replay": False}),
        migrations.RemoveField(model_name="bulletin", name="related_policy"),
        # MCLE rules and compliance groups: validation and help text for their admin screens.
        migrations.AlterField(
            model_name="compliancegroup",
            name="first_letter",
            field=models.CharField(
                help_text="The first initial of the last names in this group (A to Z).", max_length=1,
                validators=[django.core.validators.RegexValidator("^[A-Za-z]$", "Enter one letter, A to Z.")],
                verbose_name="from letter",
            ),
        ),  # fmt: skip
        migrations.AlterField(
            model_name="compliancegroup",
            name="last_letter",
            field=models.CharField(
                help_text="The last initial of the last names in this group (A to Z); ranges may not overlap.",
                max_length=1,
                validators=[django.core.validators.RegexValidator("^[A-Za-z]$", "Enter one letter, A to Z.")],
                verbose_name="to letter",
            ),
        ),  # fmt: skip
        migrations.AlterField(
            model_name="compliancegroup",
            name="period_end",
            field=models.DateField(
                help_text="The deadline of this group's current compliance period. The dates loaded with the portal "
                "are estimates: check them against the State Bar's schedule and correct them here. Reminders go out "
                "90, 30 and 7 days before this date.",
                verbose_name="end of the current period",
            ),
        ),
        migrations.AlterField(
            model_name="mclecategoryminimum",
            name="hours",
            field=models.DecimalField(
                decimal_places=2, help_text="Implicit-bias hours also count toward the elimination of bias minimum.",
                max_digits=5, validators=[django.core.validators.MinValueValidator(Decimal("0.25"))],
                verbose_name="minimum hours",
            ),
        ),  # fmt: skip
        migrations.AlterField(
            model_name="mcleruleset",
            name="hours_per_period",
            field=models.DecimalField(
                decimal_places=2, help_text="The total every deputy must earn in each compliance period (California: 25).",
                max_digits=5, validators=[django.core.validators.MinValueValidator(Decimal("0.25"))],
                verbose_name="hours per period",
            ),
        ),  # fmt: skip
        migrations.AlterField(
            model_name="mcleruleset",
            name="is_current",
            field=models.BooleanField(
                default=False, help_text="The rule set the compliance view and reminders apply (only one).",
                verbose_name="current",
            ),
        ),  # fmt: skip
        migrations.AlterField(
            model_name="mcleruleset",
            name="period_years",
            field=models.PositiveSmallIntegerField(
                default=3, help_text="The length of a compliance period; a group's period ends on its deadline.",
                validators=[
                    django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(10)
                ],
                verbose_name="period (years)",
            ),
        ),  # fmt: skip
        migrations.AlterField(
            model_name="mcleruleset",
            name="self_study_max",
            field=models.DecimalField(
                decimal_places=2,
                help_text="Self-study hours beyond this do not count toward the total (California: 12.5).",
                max_digits=5, validators=[django.core.validators.MinValueValidator(Decimal("0"))],
                verbose_name="self-study maximum (hours)",
            ),
        ),  # fmt: skip
        migrations.AlterConstraint(
            model_name="mcleruleset",
            name="integrity_mcleruleset_one_current",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_current", True)), fields=("is_current",),
                name="integrity_mcleruleset_one_current",
                violation_error_message="Another rule set is current: make it not current first.",
            ),
        ),  # fmt: skip
        migrations.RunPython(grants, migrations.RunPython.noop),
    ]
