"""The daily 07:30 schedule of the area alert digests, and the CPU Supervisor's read access
to followers and area alerts in the administration site."""

from django.conf import settings
from django.db import migrations

from jcr.accounts import roles

DIGEST_TASK = "Concerns: daily digest of new concerns to area alert subscribers"
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


def backward(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=DIGEST_TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("prosecution", "0012_concern_follow_area_alerts"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("accounts", "0002_role_groups"),
    ]
    operations = [migrations.RunPython(forward, backward)]
