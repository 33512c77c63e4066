"""The unit's permissions for its roles, California as the first sync target, and the
schedules of the nightly Open States sync, the minute dispatcher of reminders and alerts,
and the Monday-morning digest (all editable afterwards in admin)."""

from django.db import migrations

from jcr.accounts import roles

READ = [
    "govrelations.view_bill",
    "govrelations.view_position",
    "govrelations.view_hearing",
    "govrelations.view_positionletter",
    "govrelations.view_implementationtask",
]
ANALYST = [
    *READ,
    "govrelations.change_bill",
    "govrelations.add_billcomment",
    "govrelations.add_position",
    "govrelations.add_positionletter",
    "govrelations.change_positionletter",
    "govrelations.add_hearing",
    "govrelations.change_hearing",
    "govrelations.add_implementationtask",
    "govrelations.change_implementationtask",
]
ADMIN_MODELS = [
    "bill",
    "billabstract",
    "billsponsorship",
    "billaction",
    "billdocument",
    "votesummary",
    "relatedbill",
    "jurisdiction",
    "legislativesession",
    "subject",
    "hearing",
    "synctarget",
]
GRANTS = {
    roles.GR_ANALYST: ANALYST,
    roles.GR_SUPERVISOR: [*ANALYST, "govrelations.approve_position"],
    roles.BUREAU_CHIEF: READ,
    roles.ADMINISTRATOR: [
        *[f"govrelations.{action}_{model}" for model in ADMIN_MODELS for action in ("view", "add", "change")],
        "govrelations.view_position",
        "govrelations.view_positionevent",
        "govrelations.view_positionletter",
        "govrelations.view_syncrun",
        "govrelations.view_syncerror",
        "govrelations.view_hearingreminder",
        "govrelations.view_billalert",
        "govrelations.change_billalert",
        "govrelations.view_billfollow",
        "govrelations.view_digestsubscription",
        "govrelations.change_digestsubscription",
        "govrelations.add_digestsubscription",
        "govrelations.view_implementationtask",
        "govrelations.view_billcomment",
    ],
}

MINUTE_TASKS = [
    ("Government Relations: send due hearing reminders and bill alerts", "govrelations.tasks.govrel_dispatch", 1),
]
CRON_TASKS = [
    # name, task, minute, hour, day_of_week
    ("Government Relations: nightly Open States sync", "govrelations.tasks.openstates_sync_nightly", "15", "3", "*"),
    ("Government Relations: Monday weekly digest", "govrelations.tasks.weekly_digest_send", "0", "7", "1"),
]


def forward(apps, schema_editor):
    for role, labels in GRANTS.items():
        roles.roles_grant(apps, role, labels)
    SyncTarget = apps.get_model("govrelations", "SyncTarget")
    if not SyncTarget.objects.exists():
        SyncTarget.objects.create(jurisdiction="California", is_active=True)
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minutes in MINUTE_TASKS:
        interval, _ = IntervalSchedule.objects.get_or_create(every=minutes, period="minutes")
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "interval": interval, "enabled": True})
    for name, task, minute, hour, day_of_week in CRON_TASKS:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week=day_of_week,
            day_of_month="*",
            month_of_year="*",
            timezone="America/Los_Angeles",
        )
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "crontab": crontab, "enabled": True})


def backward(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[t[0] for t in MINUTE_TASKS + CRON_TASKS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("govrelations", "0001_initial"),
        ("accounts", "0002_role_groups"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(forward, backward)]
