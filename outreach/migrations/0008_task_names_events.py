from django.db import migrations

from jcr.core.migration_ops import periodic_task_rename

# The tasks of programs, events and dialogues moved into their feature packages and carry
# pinned names; the beat rows written by 0001_initial and 0002_dialogues follow them.
RENAMES = {
    "outreach.tasks.reminders_dispatch": "outreach.events.reminders_dispatch",
    "outreach.tasks_dialogues.dialogue_offers_lapse": "outreach.dialogues.offers_lapse",
    "outreach.tasks_dialogues.dialogue_draws_due": "outreach.dialogues.draws_due",
}


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0007_newsletter_sending"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [periodic_task_rename(RENAMES)]
