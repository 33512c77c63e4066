"""Who may open and use the unit's pages: analysts edit, supervisors approve, the bureau chief
reads, other units are refused, anonymous visitors are sent to sign in."""

import pytest
from django.urls import reverse

from govrelations.bills.tests.factories import BillFactory
from govrelations.positions.models import Position
from govrelations.positions.tests.factories import PositionFactory

pytestmark = pytest.mark.django_db

READ = {
    "resident": 302,
    "resident_user": 403,
    "outreach_staff": 403,
    "community_prosecutor": 403,
    "jti_staff": 403,
    "administrator": 403,
    "bureau_chief": 200,
    "gr_analyst": 200,
    "gr_supervisor": 200,
}


@pytest.mark.parametrize(("persona", "expected"), READ.items())
@pytest.mark.parametrize("name", ["staff_bill_detail", "staff_bill_analysis", "staff_bill_record"])
def test_bill_pages_by_persona(persona, expected, name, request, client):
    bill = BillFactory()
    user = request.getfixturevalue(persona) if persona != "resident" else None
    if user is not None:
        client.force_login(user)
    response = client.get(reverse(f"govrelations:{name}", kwargs={"public_id": bill.public_id}))
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("persona", "expected", "status"),
    [
        ("gr_supervisor", 302, Position.Status.APPROVED),
        ("gr_analyst", 403, Position.Status.PROPOSED),
        ("bureau_chief", 403, Position.Status.PROPOSED),
        ("outreach_staff", 403, Position.Status.PROPOSED),
    ],
)
def test_only_supervisors_approve(persona, expected, status, request, client, gr_analyst):
    position = PositionFactory(proposed_by=gr_analyst)
    client.force_login(request.getfixturevalue(persona))
    response = client.post(reverse("govrelations:staff_position_approve", kwargs={"public_id": position.public_id}))
    assert response.status_code == expected
    position.refresh_from_db()
    assert position.status == status


@pytest.mark.parametrize(("persona", "expected"), [("gr_analyst", 302), ("bureau_chief", 403), ("jti_staff", 403)])
def test_only_the_unit_edits_tracking(persona, expected, request, client):
    bill = BillFactory()
    client.force_login(request.getfixturevalue(persona))
    response = client.post(
        reverse("govrelations:staff_bill_track", kwargs={"public_id": bill.public_id}),
        {"is_watched": "on", "priority": "high", "analysis_memo": "x"},
    )
    assert response.status_code == expected
    bill.refresh_from_db()
    assert bill.is_watched is (expected == 302)


def test_bureau_chief_sees_no_edit_forms(client, bureau_chief):
    bill = BillFactory(analysis_memo="Read-only memo")
    client.force_login(bureau_chief)
    content = client.get(reverse("govrelations:staff_bill_analysis", kwargs={"public_id": bill.public_id})).content
    content = content.decode()
    assert "Read-only memo" in content
    assert reverse("govrelations:staff_bill_track", kwargs={"public_id": bill.public_id}) not in content
    assert reverse("govrelations:staff_position_propose", kwargs={"public_id": bill.public_id}) not in content


def test_unknown_bill_is_404(client, gr_analyst):
    client.force_login(gr_analyst)
    url = reverse("govrelations:staff_bill_detail", kwargs={"public_id": "00000000-0000-0000-0000-000000000000"})
    assert client.get(url).status_code == 404


def test_data_migration_grants_roles_and_schedules():
    from django.contrib.auth.models import Group
    from django_celery_beat.models import PeriodicTask

    from jcr.accounts import roles

    def perms(role):
        return set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))

    assert "approve_position" in perms(roles.GR_SUPERVISOR)
    assert "approve_position" not in perms(roles.GR_ANALYST)
    assert {"change_bill", "add_position", "add_billcomment"} <= perms(roles.GR_ANALYST)
    assert "change_bill" not in perms(roles.BUREAU_CHIEF)
    tasks = dict(PeriodicTask.objects.filter(task__startswith="govrelations.").values_list("task", "enabled"))
    assert tasks == {
        "govrelations.bills.govrel_dispatch": True,
        "govrelations.bills.openstates_sync_nightly": True,
        "govrelations.bills.weekly_digest_send": True,
    }
    digest = PeriodicTask.objects.get(task="govrelations.bills.weekly_digest_send").crontab
    assert (digest.day_of_week, digest.hour, digest.minute) == ("1", "7", "0")


def test_task_names_migration_moves_beat_rows_to_the_pinned_names_and_back():
    """A deployed beat keeps working across the move: rows written with the old names (as
    0002 did) follow the tasks to their pinned names, every one of which is registered."""
    from importlib import import_module

    from django.apps import apps
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    from jcr.core import work

    migration = import_module("govrelations.migrations.0003_task_names")
    operation = migration.Migration.operations[0]
    old_names = [
        "govrelations.tasks.govrel_dispatch",
        "govrelations.tasks.openstates_sync_nightly",
        "govrelations.tasks.weekly_digest_send",
        "govrelations.tasks.bill_alert_send",
        "govrelations.tasks.hearing_reminder_send",
    ]
    PeriodicTask.objects.filter(task__startswith="govrelations.").delete()
    every = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.MINUTES)
    for name in old_names:
        PeriodicTask.objects.create(name=f"old {name}", task=name, interval=every)
    operation.code(apps, None)
    new_names = set(PeriodicTask.objects.filter(name__startswith="old ").values_list("task", flat=True))
    assert new_names == {
        "govrelations.bills.govrel_dispatch",
        "govrelations.bills.openstates_sync_nightly",
        "govrelations.bills.weekly_digest_send",
        "govrelations.bills.bill_alert_send",
        "govrelations.hearings.hearing_reminder_send",
    }
    for name in new_names:
        assert work.task_named(name).name == name
    operation.reverse_code(apps, None)
    assert set(PeriodicTask.objects.filter(name__startswith="old ").values_list("task", flat=True)) == set(old_names)
