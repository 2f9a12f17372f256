"""The stored deadline rules: seeded equal to RULES, add-only history, and the admin."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.deadline_rules import RULES
from cases.models import DeadlineRule, DeadlineRuleVersion, RuleHistoryError
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_seeded_rules_equal_the_rules_in_code():
    stored = {(v.rule.code, v.effective_from): v for v in DeadlineRuleVersion.objects.select_related("rule")}
    assert set(stored) == {(spec.code, spec.effective_from) for spec in RULES}
    for spec in RULES:
        version = stored[(spec.code, spec.effective_from)]
        assert version.spec() == spec.__class__(**{**spec.__dict__, "title": version.rule.title})
        assert version.rule.title == str(spec.title)
        assert version.rule.trigger == spec.trigger
    assert DeadlineRule.objects.count() == len({spec.code for spec in RULES})


def test_a_stored_version_is_never_changed_or_deleted():
    version = DeadlineRuleVersion.objects.get(rule__code="bia_appeal")
    version.offset = 31
    with pytest.raises(RuleHistoryError):
        version.save()
    with pytest.raises(RuleHistoryError):
        version.delete()
    fresh = DeadlineRuleVersion.objects.get(pk=version.pk)
    assert fresh.offset == 30


def test_a_new_version_can_be_added():
    rule = DeadlineRule.objects.get(code="bia_appeal")
    DeadlineRuleVersion.objects.create(
        rule=rule, effective_from=timezone.localdate() + timedelta(days=10), offset=45, lead_days=[7], citation="x"
    )
    assert rule.versions.count() == 2


# ---- the admin ---------------------------------------------------------------------------------


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def _version_data(rule, effective_from, **extra):
    return {
        "rule": rule.pk,
        "effective_from": effective_from.isoformat() if effective_from else "",
        "offset": 45,
        "direction": "after",
        "counting": "calendar_days",
        "roll_forward": "on",
        "lead_days": "[14, 7, 1]",
        "citation": "Test citation",
        "source_url": "",
        "source_note": "",
        **extra,
    }


def test_admin_lists_rules_read_only_with_their_versions(admin_client):
    rule = DeadlineRule.objects.get(code="merits_hearing_filing")
    assert admin_client.get("/admin/cases/deadlinerule/").status_code == 200
    page = admin_client.get(f"/admin/cases/deadlinerule/{rule.pk}/change/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "DM 22-04 rescinded, Feb 2025" in body
    assert 'name="_save"' not in body  # view only
    assert admin_client.post(f"/admin/cases/deadlinerule/{rule.pk}/change/", {"code": "x"}).status_code == 403
    assert admin_client.get("/admin/cases/deadlinerule/add/").status_code == 403
    assert admin_client.post(f"/admin/cases/deadlinerule/{rule.pk}/delete/", {"post": "yes"}).status_code == 403


def test_admin_versions_can_be_viewed_but_not_changed_or_deleted(admin_client):
    version = DeadlineRuleVersion.objects.get(rule__code="bia_appeal")
    assert admin_client.get("/admin/cases/deadlineruleversion/").status_code == 200
    assert admin_client.get(f"/admin/cases/deadlineruleversion/{version.pk}/change/").status_code == 200
    data = _version_data(version.rule, None, offset=31)
    assert admin_client.post(f"/admin/cases/deadlineruleversion/{version.pk}/change/", data).status_code == 403
    assert (
        admin_client.post(f"/admin/cases/deadlineruleversion/{version.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert DeadlineRuleVersion.objects.get(pk=version.pk).offset == 30


def test_admin_adds_a_version_with_a_later_effective_date(admin_client):
    rule = DeadlineRule.objects.get(code="bia_appeal")
    start = admin_client.get(f"/admin/cases/deadlineruleversion/add/?rule={rule.pk}")
    assert start.status_code == 200
    later = timezone.localdate() + timedelta(days=30)
    response = admin_client.post("/admin/cases/deadlineruleversion/add/", _version_data(rule, later))
    assert response.status_code == 302, response.content.decode()[:2000]
    added = rule.versions.get(effective_from=later)
    assert (added.offset, added.lead_days) == (45, [14, 7, 1])


@pytest.mark.parametrize(
    ("days_from_today", "message"),
    [
        (-1, "cannot take effect in the past"),
        (None, "Enter the date the new version takes effect."),
    ],
)
def test_admin_refuses_a_past_or_missing_effective_date(admin_client, days_from_today, message):
    rule = DeadlineRule.objects.get(code="bia_appeal")
    day = timezone.localdate() + timedelta(days=days_from_today) if days_from_today is not None else None
    response = admin_client.post("/admin/cases/deadlineruleversion/add/", _version_data(rule, day))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert rule.versions.count() == 1


def test_admin_refuses_a_date_not_after_the_latest_version(admin_client):
    rule = DeadlineRule.objects.get(code="bia_appeal")
    latest = timezone.localdate() + timedelta(days=60)
    DeadlineRuleVersion.objects.create(rule=rule, effective_from=latest, offset=40, lead_days=[7], citation="x")
    for day in (latest, latest - timedelta(days=1)):
        response = admin_client.post("/admin/cases/deadlineruleversion/add/", _version_data(rule, day))
        assert response.status_code == 200
        assert "must take effect after the latest one, of " + latest.isoformat() in response.content.decode()
    assert rule.versions.count() == 2


def test_admin_refuses_bad_lead_days(admin_client):
    rule = DeadlineRule.objects.get(code="bia_appeal")
    later = timezone.localdate() + timedelta(days=30)
    response = admin_client.post("/admin/cases/deadlineruleversion/add/", _version_data(rule, later, lead_days="[-1]"))
    assert response.status_code == 200
    assert "between 0 and 365" in response.content.decode()


def test_only_superusers_add_versions(client, staff):
    from django.contrib.auth.models import Permission

    user = UserFactory(username="staffer", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_deadlineruleversion", "add_deadlineruleversion"])
    )
    client.force_login(user)
    assert client.get("/admin/cases/deadlineruleversion/").status_code == 200
    assert client.get("/admin/cases/deadlineruleversion/add/").status_code == 403
