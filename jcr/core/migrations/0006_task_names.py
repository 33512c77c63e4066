from django.db import migrations

from jcr.core.migration_ops import periodic_task_rename


class Migration(migrations.Migration):
    dependencies = [("core", "0005_outboundemail_confidential"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [
        periodic_task_rename(
            {
                "jcr.core.tasks.outbound_email_send": "jcr.core.outbound_email_send",
                "jcr.core.tasks.outbound_email_dispatch": "jcr.core.outbound_email_dispatch",
                "jcr.core.tasks.ping": "jcr.core.ping",
            }
        )
    ]
