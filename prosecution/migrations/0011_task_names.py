from django.db import migrations

from jcr.core.migration_ops import periodic_task_rename


class Migration(migrations.Migration):
    dependencies = [
        ("prosecution", "0010_admin_role_grants"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [
        periodic_task_rename(
            {
                "prosecution.tasks.concern_photo_thumbnail": "prosecution.concerns.concern_photo_thumbnail",
                "prosecution.tasks.concern_photo_thumbnails_sweep": "prosecution.concerns.concern_photo_thumbnails_sweep",
                "prosecution.tasks.concern_overdue_digests_send": "prosecution.concerns.concern_overdue_digests_send",
                "prosecution.tasks.concern_stats_rebuild": "prosecution.transparency.concern_stats_rebuild",
                "prosecution.tasks.followup_send_due": "prosecution.partners.followup_send_due",
            }
        )
    ]
