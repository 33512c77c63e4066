"""The daily 07:30 schedule of the area alert digests, the ten-minute sweep of followers'
update e-mails that were never queued, and the CPU Supervisor's read access
to followers and area alerts in the administration site."""

from django.conf import settings
from django.db import migrations

from jcr.accounts import roles

DIGEST_TASK = "Concerns: daily digest of new concerns to area alert subscribers"
SWEEP_TASK = "Concerns: followers' update e-mails missed while the broker was down"
LABELS = ["prosecution.view_concernfollow", "prosecution.view_areaalert"]


def forward(apps, schema_editor):
    roles.roles_grant(apps, roles.CPU_SUPERVISOR, LABELS)
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    daily, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="7", day_of_week="*", day_of_month="*", month_of_year="*", timezone=settings.TIME_ZONE
    )
    PeriodicTask.objects.get_or_create(
        name=DIGEST_TASK,
        defaults={"task": "prosecution.concerns.area_alert_digests_send", "crontab": daily, "enabled": True},
    )
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    ten_minutes, _ = IntervalSchedule.objects.get_or_create(every=10, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=SWEEP_TASK,
        defaults={"task": "prosecution.concerns.concern_followers_sweep", "interval": ten_minutes, "enabled": True},
    )


def backward(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=[DIGEST_TASK, SWEEP_TASK]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("prosecution", "0012_concern_follow_area_alerts"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("accounts", "0002_role_groups"),
    ]
    operations = [migrations.RunPython(forward, backward)]
