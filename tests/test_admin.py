from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import InteractionTacticFactory, UserFactory


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
