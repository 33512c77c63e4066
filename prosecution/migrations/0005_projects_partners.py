"""Partners and their contacts, referrals, problem-solving projects (SARA) with their
concerns, partners, actions and owner contact log, the "is it fixed?" follow-ups; the
permissions of the unit's roles over them and the follow-up schedule."""

import django.db.models.deletion
import django.utils.timezone
import prosecution.partners.models
import uuid
from django.conf import settings
from django.db import migrations, models

from jcr.accounts import roles

_WORK = [
    "prosecution.view_partner",
    "prosecution.add_partner",
    "prosecution.change_partner",
    "prosecution.view_partnercontact",
    "prosecution.add_partnercontact",
    "prosecution.change_partnercontact",
    "prosecution.delete_partnercontact",
    "prosecution.view_referral",
    "prosecution.add_referral",
    "prosecution.view_project",
    "prosecution.add_project",
    "prosecution.change_project",
    "prosecution.view_followup",
]
GRANTS = {
    roles.COMMUNITY_PROSECUTOR: _WORK,
    roles.CPU_SUPERVISOR: [*_WORK, "prosecution.delete_partner"],
    roles.BUREAU_CHIEF: [
        "prosecution.view_partner",
        "prosecution.view_partnercontact",
        "prosecution.view_referral",
        "prosecution.view_project",
        "prosecution.view_followup",
    ],
    roles.ADMINISTRATOR: [
        "prosecution.view_partner",
        "prosecution.add_partner",
        "prosecution.change_partner",
        "prosecution.delete_partner",
        "prosecution.view_partnercontact",
        "prosecution.add_partnercontact",
        "prosecution.change_partnercontact",
        "prosecution.delete_partnercontact",
        "prosecution.view_referral",
        "prosecution.view_followup",
    ],
}


def forward(apps, schema_editor):
    for role, labels in GRANTS.items():
        roles.roles_grant(apps, role, labels)
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    hourly, _ = IntervalSchedule.objects.get_or_create(every=1, period="hours")
    PeriodicTask.objects.get_or_create(
        name='Concerns: send the "is it fixed?" follow-ups',
        defaults={"task": "prosecution.tasks.followup_send_due", "interval": hourly, "enabled": True},
    )


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_periodic_tasks'),
        ('prosecution', '0004_triage_actions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("accounts", "0002_role_groups"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.CreateModel(
            name='Partner',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('kind', models.CharField(choices=[('agency', 'Agency'), ('community_group', 'Community group'), ('business', 'Business'), ('other', 'Other')], default='agency', max_length=20, verbose_name='kind')),
                ('jurisdiction', models.CharField(blank=True, help_text='In words, e.g. unincorporated county.', max_length=200, verbose_name='jurisdiction')),
                ('website', models.URLField(blank=True, verbose_name='website')),
                ('phone', models.CharField(blank=True, max_length=40, verbose_name='phone')),
                ('notes', models.TextField(blank=True, verbose_name='notes (staff only)')),
                ('is_active', models.BooleanField(default=True, verbose_name='active')),
                ('areas', models.ManyToManyField(blank=True, help_text='The areas where this partner acts; used to suggest it for referrals.', related_name='partners', to='core.area', verbose_name='jurisdiction (areas)')),
                ('categories', models.ManyToManyField(blank=True, related_name='partners', to='prosecution.category', verbose_name='categories of concern it handles')),
            ],
            options={
                'verbose_name': 'partner',
                'verbose_name_plural': 'partners',
                'ordering': ['name', 'id'],
            },
        ),
        migrations.CreateModel(
            name='PartnerContact',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('name', models.CharField(max_length=150, verbose_name='name')),
                ('role', models.CharField(blank=True, max_length=150, verbose_name='role')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='e-mail')),
                ('phone', models.CharField(blank=True, max_length=40, verbose_name='phone')),
                ('is_primary', models.BooleanField(default=False, verbose_name='primary contact')),
                ('partner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='contacts', to='prosecution.partner')),
            ],
            options={
                'verbose_name': 'partner contact',
                'verbose_name_plural': 'partner contacts',
                'ordering': ['-is_primary', 'name', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Project',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('address', models.CharField(blank=True, max_length=255, verbose_name='address or place')),
                ('parcel_number', models.CharField(blank=True, max_length=40, verbose_name='parcel number (APN)')),
                ('latitude', models.FloatField(blank=True, null=True, verbose_name='latitude')),
                ('longitude', models.FloatField(blank=True, null=True, verbose_name='longitude')),
                ('public_latitude', models.FloatField(blank=True, editable=False, null=True, verbose_name='public latitude (blurred)')),
                ('public_longitude', models.FloatField(blank=True, editable=False, null=True, verbose_name='public longitude (blurred)')),
                ('stage', models.CharField(choices=[('scanning', 'Scanning'), ('analysis', 'Analysis'), ('response', 'Response'), ('assessment', 'Assessment'), ('closed', 'Closed')], db_index=True, default='scanning', max_length=12, verbose_name='stage')),
                ('public_summary', models.TextField(blank=True, verbose_name='summary for the public')),
                ('analysis', models.TextField(blank=True, verbose_name='internal analysis')),
                ('is_public', models.BooleanField(default=False, help_text='Never for a project with a concern of a sensitive category.', verbose_name='public')),
                ('is_repeat_location', models.BooleanField(default=False, editable=False, verbose_name='repeat location')),
                ('response_started_on', models.DateField(blank=True, null=True, verbose_name='response started on')),
                ('closed_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='closed')),
                ('stage_history', models.JSONField(blank=True, default=list, editable=False, help_text='Each stage change: when, from, to, by whom (the audit entries hold the same).', verbose_name='stage history')),
                ('areas', models.ManyToManyField(blank=True, related_name='projects', to='core.area', verbose_name='areas')),
                ('owner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='owned_projects', to=settings.AUTH_USER_MODEL, verbose_name='owner')),
            ],
            options={
                'verbose_name': 'problem-solving project',
                'verbose_name_plural': 'problem-solving projects',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='OwnerContact',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('contacted_on', models.DateField(verbose_name='date')),
                ('method', models.CharField(choices=[('phone', 'Phone'), ('email', 'E-mail'), ('letter', 'Letter'), ('in_person', 'In person'), ('other', 'Other')], default='phone', max_length=12, verbose_name='how')),
                ('contact_name', models.CharField(max_length=200, verbose_name='who (owner, landlord, manager)')),
                ('summary', models.TextField(verbose_name='summary')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('project', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='owner_contacts', to='prosecution.project')),
            ],
            options={
                'verbose_name': 'owner contact',
                'verbose_name_plural': 'owner contact log',
                'ordering': ['-contacted_on', '-id'],
            },
        ),
        migrations.CreateModel(
            name='ProjectAction',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('description', models.CharField(max_length=300, verbose_name='action')),
                ('due_on', models.DateField(blank=True, null=True, verbose_name='due')),
                ('done_at', models.DateTimeField(blank=True, null=True, verbose_name='done')),
                ('owner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='owner')),
                ('owner_partner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='prosecution.partner', verbose_name='partner responsible')),
                ('project', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='actions', to='prosecution.project')),
            ],
            options={
                'verbose_name': 'project action',
                'verbose_name_plural': 'project actions',
                'ordering': ['done_at', 'due_on', 'id'],
            },
        ),
        migrations.CreateModel(
            name='ProjectConcern',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('added_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('concern', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='project_links', to='prosecution.concern')),
                ('project', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='concern_links', to='prosecution.project')),
            ],
            options={
                'verbose_name': 'concern of a project',
                'verbose_name_plural': 'concerns of projects',
                'ordering': ['created_at', 'id'],
            },
        ),
        migrations.AddField(
            model_name='project',
            name='concerns',
            field=models.ManyToManyField(blank=True, related_name='projects', through='prosecution.ProjectConcern', to='prosecution.concern', verbose_name='concerns'),
        ),
        migrations.CreateModel(
            name='ProjectPartner',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('role', models.CharField(blank=True, max_length=200, verbose_name='role in the project')),
                ('partner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='project_links', to='prosecution.partner')),
                ('project', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='partner_links', to='prosecution.project')),
            ],
            options={
                'verbose_name': 'partner of a project',
                'verbose_name_plural': 'partners of projects',
                'ordering': ['created_at', 'id'],
            },
        ),
        migrations.AddField(
            model_name='project',
            name='partners',
            field=models.ManyToManyField(blank=True, related_name='projects', through='prosecution.ProjectPartner', to='prosecution.partner', verbose_name='partners'),
        ),
        migrations.CreateModel(
            name='Referral',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('to_email', models.EmailField(max_length=254, verbose_name='sent to')),
                ('message', models.TextField(blank=True, verbose_name='message to the partner')),
                ('concern', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='referrals', to='prosecution.concern')),
                ('contact', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='referrals', to='prosecution.partnercontact')),
                ('email', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='core.outboundemail', verbose_name='e-mail')),
                ('partner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='referrals', to='prosecution.partner')),
                ('referred_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'referral',
                'verbose_name_plural': 'referrals',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='FollowUp',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('resolved_at', models.DateTimeField(verbose_name='resolution asked about')),
                ('token', models.CharField(default=prosecution.partners.models.followup_token_new, editable=False, max_length=64, unique=True, verbose_name='token')),
                ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='sent')),
                ('answered_at', models.DateTimeField(blank=True, null=True, verbose_name='answered')),
                ('answer', models.CharField(blank=True, choices=[('fixed', 'Yes, it is fixed'), ('not_fixed', 'No, it is not fixed'), ('not_sure', 'I am not sure')], max_length=12, verbose_name='answer')),
                ('concern', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='followups', to='prosecution.concern')),
                ('email', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='core.outboundemail', verbose_name='e-mail')),
            ],
            options={
                'verbose_name': 'follow-up',
                'verbose_name_plural': 'follow-ups',
                'ordering': ['-created_at', '-id'],
                'constraints': [models.UniqueConstraint(fields=('concern', 'resolved_at'), name='prosecution_followup_once')],
            },
        ),
        migrations.AddConstraint(
            model_name='projectconcern',
            constraint=models.UniqueConstraint(fields=('project', 'concern'), name='prosecution_projectconcern_unique'),
        ),
        migrations.AddConstraint(
            model_name='projectpartner',
            constraint=models.UniqueConstraint(fields=('project', 'partner'), name='prosecution_projectpartner_unique'),
        ),
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
