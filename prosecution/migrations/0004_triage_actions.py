"""Triage actions on neighborhood concerns: response templates, close reasons from a fixed
list, merged duplicates, service levels in business days with due dates stored on each
concern, and the daily overdue digest (its rows and its schedule).

Data steps (RunPython, after every schema step: PostgreSQL refuses to alter a table that has
pending trigger events from an UPDATE in the same transaction):
- close reasons: the free-text reasons of existing rows become the fixed choices (the old text
  is kept as the staff-only detail when it matched none);
- due dates of existing concerns, exact (weekends and JCR_HOLIDAYS skipped): business-day
  arithmetic depends only on the local date a concern was received, so the due dates are
  computed in Python once per distinct date (a few hundred or thousand, not one per row)
  and written with one UPDATE … FROM per batch of 20,000 ids on PostgreSQL (about a second
  per 100k rows); other databases (the SQLite of `make run`) get a plain Python loop;
- permissions of the new models for the CPU roles, and the weekday 07:00 digest schedule.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from jcr.accounts import roles


VALID_REASONS = {"fixed", "partner", "duplicate", "not_ours", "no_further_action", "not_enough_info"}


def close_reasons_forward(apps, schema_editor):
    Concern = apps.get_model("prosecution", "Concern")
    Concern.objects.filter(close_reason__iexact="duplicate").update(close_reason="duplicate")
    Concern.objects.filter(close_reason__icontains="not our").update(close_reason="not_ours")
    Concern.objects.filter(close_reason__iexact="no further action").update(close_reason="no_further_action")
    rest = Concern.objects.exclude(close_reason="").exclude(close_reason__in=VALID_REASONS)
    rest.filter(status="resolved").update(close_detail=models.F("close_reason"), close_reason="fixed")
    rest.update(close_detail=models.F("close_reason"), close_reason="no_further_action")


def _business_day_add(day, days, holidays):
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            counted += 1
    return day


BATCH = 20_000


def due_dates_forward(apps, schema_editor):
    Concern = apps.get_model("prosecution", "Concern")
    ack_days, resolve_days = settings.JCR_CONCERN_ACK_DAYS, settings.JCR_CONCERN_RESOLVE_DAYS
    holidays = settings.JCR_HOLIDAYS
    tz_name = settings.TIME_ZONE
    todo = Concern.objects.filter(acknowledge_by__isnull=True)
    if schema_editor.connection.vendor != "postgresql":
        zone = ZoneInfo(tz_name)
        batch = []
        for concern in todo.only("pk", "created_at").iterator(chunk_size=1000):
            local = concern.created_at.astimezone(zone)
            at = time(local.hour, local.minute, local.second)
            concern.acknowledge_by = datetime.combine(_business_day_add(local.date(), ack_days, holidays), at, zone)
            concern.resolve_by = datetime.combine(_business_day_add(local.date(), resolve_days, holidays), at, zone)
            batch.append(concern)
            if len(batch) >= 1000:
                Concern.objects.bulk_update(batch, ["acknowledge_by", "resolve_by"])
                batch = []
        Concern.objects.bulk_update(batch, ["acknowledge_by", "resolve_by"])
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT (created_at AT TIME ZONE %s)::date FROM prosecution_concern WHERE acknowledge_by IS NULL",
            [tz_name],
        )
        days = [row[0] for row in cursor.fetchall()]
        if not days:
            return
        cursor.execute("CREATE TEMP TABLE prosecution_due_map (day date PRIMARY KEY, ack date, res date) ON COMMIT DROP")
        cursor.executemany(
            "INSERT INTO prosecution_due_map VALUES (%s, %s, %s)",
            [
                (d, _business_day_add(d, ack_days, holidays), _business_day_add(d, resolve_days, holidays))
                for d in days
            ],
        )
        cursor.execute("SELECT min(id), max(id) FROM prosecution_concern WHERE acknowledge_by IS NULL")
        low, high = cursor.fetchone()
        for start in range(low, high + 1, BATCH):
            cursor.execute(
                """
                UPDATE prosecution_concern c
                SET acknowledge_by = (m.ack + (c.created_at AT TIME ZONE %(tz)s)::time) AT TIME ZONE %(tz)s,
                    resolve_by = (m.res + (c.created_at AT TIME ZONE %(tz)s)::time) AT TIME ZONE %(tz)s
                FROM prosecution_due_map m
                WHERE m.day = (c.created_at AT TIME ZONE %(tz)s)::date
                  AND c.acknowledge_by IS NULL AND c.id >= %(start)s AND c.id < %(end)s
                """,
                {"tz": tz_name, "start": start, "end": start + BATCH},
            )


ADMIN_LABELS = [
    "prosecution.view_responsetemplate",
    "prosecution.add_responsetemplate",
    "prosecution.change_responsetemplate",
    "prosecution.delete_responsetemplate",
    "prosecution.view_servicelevel",
    "prosecution.add_servicelevel",
    "prosecution.change_servicelevel",
    "prosecution.delete_servicelevel",
    "prosecution.view_overduedigest",
]
DIGEST_TASK = "Concerns: daily digest of overdue concerns to their owners"


def grants_and_schedule_forward(apps, schema_editor):
    for role in (roles.CPU_SUPERVISOR, roles.ADMINISTRATOR):
        roles.roles_grant(apps, role, ADMIN_LABELS)
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    weekday_7am, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="7", day_of_week="1-5", day_of_month="*", month_of_year="*", timezone=settings.TIME_ZONE
    )
    PeriodicTask.objects.get_or_create(
        name=DIGEST_TASK,
        defaults={"task": "prosecution.tasks.concern_overdue_digests_send", "crontab": weekday_7am, "enabled": True},
    )


def grants_and_schedule_backward(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=DIGEST_TASK).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_periodic_tasks'),
        ('prosecution', '0003_open311_client'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('accounts', '0002_role_groups'),
        ('django_celery_beat', '0019_alter_periodictasks_options'),
    ]

    operations = [
        migrations.CreateModel(
            name='OverdueDigest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('day', models.DateField(verbose_name='day')),
                ('concern_count', models.PositiveIntegerField(verbose_name='overdue concerns')),
            ],
            options={
                'verbose_name': 'overdue digest',
                'verbose_name_plural': 'overdue digests',
                'ordering': ['-day', 'id'],
            },
        ),
        migrations.CreateModel(
            name='ResponseTemplate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('title', models.CharField(help_text='What staff see in the list.', max_length=120, verbose_name='title')),
                ('status', models.CharField(blank=True, choices=[('received', 'Received'), ('under_review', 'Under review'), ('referred', 'Referred to a partner'), ('in_progress', 'In progress'), ('resolved', 'Resolved'), ('closed', 'Closed')], help_text='The status this update goes with. Empty: any status.', max_length=16, verbose_name='target status')),
                ('text', models.TextField(verbose_name='text in English')),
                ('text_es', models.TextField(blank=True, help_text='Empty: the English text is sent.', verbose_name='text in Spanish')),
                ('is_active', models.BooleanField(default=True, verbose_name='active')),
                ('order', models.PositiveSmallIntegerField(default=100, verbose_name='order')),
            ],
            options={
                'verbose_name': 'response template',
                'verbose_name_plural': 'response templates',
                'ordering': ['order', 'title', 'id'],
            },
        ),
        migrations.CreateModel(
            name='ServiceLevel',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('priority', models.CharField(blank=True, choices=[('low', 'Low'), ('normal', 'Normal'), ('high', 'High')], help_text='Empty: every priority.', max_length=8, verbose_name='priority')),
                ('acknowledge_days', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1)], verbose_name='business days to acknowledge')),
                ('resolve_days', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1)], verbose_name='business days to resolve')),
            ],
            options={
                'verbose_name': 'service level',
                'verbose_name_plural': 'service levels',
                'ordering': ['category__name', 'priority', 'id'],
            },
        ),
        migrations.AddField(
            model_name='concern',
            name='acknowledge_by',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='acknowledge by'),
        ),
        migrations.AddField(
            model_name='concern',
            name='close_detail',
            field=models.TextField(blank=True, db_default='', help_text='Staff only: more about why it was closed.', verbose_name='closing detail'),
        ),
        migrations.AddField(
            model_name='concern',
            name='resolve_by',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='resolve by'),
        ),
        migrations.AlterField(
            model_name='concern',
            name='close_reason',
            field=models.CharField(blank=True, choices=[('fixed', 'Fixed'), ('partner', 'Resolved by a partner agency'), ('duplicate', 'Duplicate of another report'), ('not_ours', 'Not our responsibility'), ('no_further_action', 'No further action possible'), ('not_enough_info', 'Not enough information to act')], max_length=200, verbose_name='reason for closing'),
        ),
        migrations.AddField(
            model_name='concern',
            name='duplicate_of',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, db_index=False, related_name='duplicates', to='prosecution.concern', verbose_name='duplicate of'),
        ),
        migrations.AddIndex(
            model_name='concern',
            index=models.Index(condition=models.Q(('acknowledged_at__isnull', True), ('status__in', ['received', 'under_review', 'referred', 'in_progress'])), fields=['acknowledge_by'], name='prosecution_concern_ackdue_idx'),
        ),
        migrations.AddIndex(
            model_name='concern',
            index=models.Index(condition=models.Q(('duplicate_of__isnull', False)), fields=['duplicate_of'], name='prosecution_concern_dup_idx'),
        ),
        migrations.AddIndex(
            model_name='concern',
            index=models.Index(condition=models.Q(('status__in', ['received', 'under_review', 'referred', 'in_progress'])), fields=['resolve_by'], name='prosecution_concern_resdue_idx'),
        ),
        migrations.AddField(
            model_name='overduedigest',
            name='email',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='core.outboundemail', verbose_name='e-mail'),
        ),
        migrations.AddField(
            model_name='overduedigest',
            name='recipient',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recipient'),
        ),
        migrations.AddField(
            model_name='responsetemplate',
            name='category',
            field=models.ForeignKey(blank=True, help_text='Empty: offered for every category.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='response_templates', to='prosecution.category', verbose_name='category'),
        ),
        migrations.AddField(
            model_name='servicelevel',
            name='category',
            field=models.ForeignKey(blank=True, help_text='Empty: every category.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='service_levels', to='prosecution.category', verbose_name='category'),
        ),
        migrations.AddConstraint(
            model_name='overduedigest',
            constraint=models.UniqueConstraint(fields=('recipient', 'day'), name='prosecution_overduedigest_once_a_day'),
        ),
        migrations.AddConstraint(
            model_name='servicelevel',
            constraint=models.UniqueConstraint(fields=('category', 'priority'), name='prosecution_servicelevel_unique'),
        ),
        migrations.AddConstraint(
            model_name='servicelevel',
            constraint=models.UniqueConstraint(condition=models.Q(('category__isnull', True)), fields=('priority',), name='prosecution_servicelevel_any_category_unique'),
        ),
        migrations.AddConstraint(
            model_name='servicelevel',
            constraint=models.CheckConstraint(condition=models.Q(('acknowledge_days__gte', 1), ('resolve_days__gte', models.F('acknowledge_days'))), name='prosecution_servicelevel_days_valid', violation_error_message='Resolving cannot take fewer days than acknowledging.'),
        ),
        migrations.RunPython(close_reasons_forward, migrations.RunPython.noop),
        migrations.RunPython(due_dates_forward, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(grants_and_schedule_forward, grants_and_schedule_backward),
    ]
