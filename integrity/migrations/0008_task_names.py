from django.db import migrations

from jcr.core.migration_ops import periodic_task_rename

# Each task's names before it was pinned, oldest first: the two reminder tasks were first
# defined in integrity/tasks.py, then in integrity/tasks_<part>.py (their names followed the
# module); the records task had an explicit name. Going back restores the last old name.
RENAMES = {
    "integrity.tasks.mcle_reminders_send": "integrity.training.mcle_reminders_send",
    "integrity.tasks_training.mcle_reminders_send": "integrity.training.mcle_reminders_send",
    "integrity.tasks.bulletin_reminders_send": "integrity.policies.bulletin_reminders_send",
    "integrity.tasks_policies.bulletin_reminders_send": "integrity.policies.bulletin_reminders_send",
    "integrity.tasks.record_deadline_reminders_send": "integrity.records.record_deadline_reminders_send",
}


class Migration(migrations.Migration):
    dependencies = [
        ("integrity", "0007_access_log_permission"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [periodic_task_rename(RENAMES)]
