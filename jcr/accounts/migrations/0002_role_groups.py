"""The bureau's role groups and their permissions (jcr.accounts.roles)."""

from django.db import migrations

from jcr.accounts.roles import roles_sync


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0003_periodic_tasks"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("usersessions", "0001_initial"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]
    operations = [migrations.RunPython(roles_sync, migrations.RunPython.noop)]
