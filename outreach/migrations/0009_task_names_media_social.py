from django.db import migrations

from jcr.core.migration_ops import periodic_task_rename


class Migration(migrations.Migration):
    dependencies = [("outreach", "0008_task_names_events"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [
        periodic_task_rename(
            {
                "outreach.tasks_media.newsletter_issue_deliver": "outreach.media.newsletter_issue_deliver",
                "outreach.tasks_media.newsletter_issues_sweep": "outreach.media.newsletter_issues_sweep",
                "outreach.tasks_social.social_delivery_publish": "outreach.social.delivery_publish",
                "outreach.tasks_social.social_deliveries_dispatch": "outreach.social.deliveries_dispatch",
                "outreach.tasks_social.social_deliveries_sweep_stuck": "outreach.social.deliveries_sweep_stuck",
                "outreach.tasks_social.social_tokens_check": "outreach.social.tokens_check",
                "outreach.tasks_social.social_occurrences_create": "outreach.social.occurrences_create",
            }
        )
    ]
