from django.db import migrations

from jcr.core.migration_ops import periodic_task_rename


class Migration(migrations.Migration):
    dependencies = [("govrelations", "0002_roles_schedules"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [
        periodic_task_rename(
            {
                "govrelations.tasks.hearing_reminder_send": "govrelations.hearings.hearing_reminder_send",
                "govrelations.tasks.bill_alert_send": "govrelations.bills.bill_alert_send",
                "govrelations.tasks.govrel_dispatch": "govrelations.bills.govrel_dispatch",
                "govrelations.tasks.openstates_sync_nightly": "govrelations.bills.openstates_sync_nightly",
                "govrelations.tasks.weekly_digest_send": "govrelations.bills.weekly_digest_send",
            }
        )
    ]
