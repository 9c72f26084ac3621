from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.urls import reverse

from journal.choices import WeekStart
from journal.models import Interaction, Summary, User
from journal.reports.summaries import summaries_differences
from journal.reports.trends import trends_for
from tests.factories import InteractionTacticFactory, UserFactory, log

D = datetime.date


@pytest.fixture
def staff_client(client, db):
    client.force_login(UserFactory(email="staff@example.com", is_staff=True, is_superuser=True))
    return client


def test_every_model_is_in_the_admin():
    from django.apps import apps

    for app in ("journal", "guidance"):
        for model in apps.get_app_config(app).get_models():
            assert admin.site.is_registered(model), model


@pytest.mark.parametrize("model", ["user", "interaction", "interactiontactic"])
def test_staff_can_list_search_and_open_every_model(staff_client, model):
    tag = InteractionTacticFactory()
    objects = {
        "user": tag.interaction.owner,
        "interaction": tag.interaction,
        "interactiontactic": tag,
    }
    changelist = reverse(f"admin:journal_{model}_changelist")
    assert staff_client.get(changelist).status_code == 200
    assert staff_client.get(changelist, {"q": "example"}).status_code == 200
    change = reverse(f"admin:journal_{model}_change", args=[objects[model].pk])
    assert staff_client.get(change).status_code == 200


def test_a_journaler_cannot_enter_the_admin(alice_client):
    response = alice_client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_the_admin_cannot_widen_a_counselors_access(staff_client, carol_share):
    carol_share.entries_since = carol_share.owner.today().replace(day=1)
    carol_share.include_reflections = False
    carol_share.save()
    change = reverse("admin:journal_share_change", args=[carol_share.pk])
    page = staff_client.get(change)
    form = {
        name: value
        for name, value in page.context["adminform"].form.initial.items()
        if value is not None and name != "include_reflections"
    }
    form.update(
        invited_at_0=carol_share.invited_at.strftime("%Y-%m-%d"),
        invited_at_1=carol_share.invited_at.strftime("%H:%M:%S"),
        invitation_expires_at_0=carol_share.invitation_expires_at.strftime("%Y-%m-%d"),
        invitation_expires_at_1=carol_share.invitation_expires_at.strftime("%H:%M:%S"),
        accepted_at_0=carol_share.accepted_at.strftime("%Y-%m-%d"),
        accepted_at_1=carol_share.accepted_at.strftime("%H:%M:%S"),
        entries_since="",
        include_reflections="on",
    )
    response = staff_client.post(change, form)
    assert response.status_code == 200
    assert "Access can only narrow" in str(response.context["adminform"].form.errors)
    carol_share.refresh_from_db()
    assert carol_share.entries_since is not None
    assert not carol_share.include_reflections


class TestSummariesFollowTheAdmin:
    """A change made in the admin is counted into the summaries as the app's own are."""

    def test_an_entry_changed_and_moved_to_another_week(self, rf, staff, alice, frozen):
        entry = log(alice, D(2026, 11, 2), "approachable")
        model_admin = admin.site.get_model_admin(Interaction)
        form = SimpleNamespace(instance=entry, save_m2m=lambda: None)
        entry.approach, entry.date = "pressuring", D(2026, 11, 18)
        request = rf.post("/")
        request.user = staff
        model_admin.save_model(request, entry, form, True)
        model_admin.save_related(request, form, [], True)
        assert summaries_differences(alice) == []
        weeks = trends_for(alice, "4w").weeks
        assert [(w.approachable, w.pressuring) for w in weeks] == [(0, 0), (0, 0), (0, 1), (0, 0)]

    def test_entries_deleted_one_or_many_at_once(self, staff_client, alice, frozen):
        first, second, third = (log(alice, D(2026, 11, day)) for day in (2, 10, 18))
        delete = reverse("admin:journal_interaction_delete", args=[first.pk])
        assert staff_client.post(delete, {"post": "yes"}).status_code == 302
        staff_client.post(
            reverse("admin:journal_interaction_changelist"),
            {
                "action": "delete_selected",
                "_selected_action": [second.pk, third.pk],
                "post": "yes",
            },
        )
        assert not Interaction.objects.exists()
        assert summaries_differences(alice) == []
        assert trends_for(alice, "4w").totals.entries == 0

    def test_a_new_week_start_regroups_the_weeks(self, rf, staff, alice, frozen):
        log(alice, D(2026, 11, 8))  # a Sunday
        alice.week_start = WeekStart.SUNDAY
        request = rf.post("/")
        request.user = staff
        admin.site.get_model_admin(User).save_model(
            request, alice, SimpleNamespace(changed_data=["week_start"]), True
        )
        assert summaries_differences(alice) == []
        weeks = Summary.objects.filter(owner=alice, span="week")
        assert set(weeks.values_list("start", flat=True)) == {D(2026, 11, 8)}
