"""Newsletter issues are sent by a worker: the issue records when a send was asked for, and a
sweep delivers issues the broker never handed over."""

from django.db import migrations, models

TASKS = [
    # (name, task, every N minutes)
    ("Newsletter: deliver issues waiting to be sent", "outreach.tasks_media.newsletter_issues_sweep", 5),
]


def forward(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minutes in TASKS:
        interval, _ = IntervalSchedule.objects.get_or_create(every=minutes, period="minutes")
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "interval": interval, "enabled": True})


def backward(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[t[0] for t in TASKS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0006_search_indexes"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.AddField(
            model_name="newsletterissue",
            name="send_requested_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="send requested at"),
        ),
        migrations.RunPython(forward, backward),
    ]
