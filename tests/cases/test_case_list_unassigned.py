"""The case list's "No attorney assigned" filter: the list behind the dashboard's Unassigned row."""

from django.urls import reverse

from cases import services
from cases.models import Case, CaseAssignment
from clinic.models import Membership


def test_no_attorney_lists_only_the_cases_nobody_is_assigned_to(as_user, supervisor, attorney, principal, case):
    orphan = services.case_open(
        actor=attorney, client=principal, data={"process": Case.Process.AFFIRMATIVE}, lead_attorney=attorney
    )
    CaseAssignment.objects.filter(case=orphan).delete()
    html = as_user(supervisor).get(reverse("cases:case-list"), {"attorney": "none"}).content.decode()
    assert orphan.number in html
    assert case.number not in html
    assert "No attorney assigned" in html


def test_the_dashboard_links_its_unassigned_row_to_that_list(as_user, supervisor, attorney, principal):
    orphan = services.case_open(
        actor=attorney, client=principal, data={"process": Case.Process.AFFIRMATIVE}, lead_attorney=attorney
    )
    CaseAssignment.objects.filter(case=orphan).delete()
    html = as_user(supervisor).get(reverse("clinic:dashboard")).content.decode()
    assert f'href="{reverse("cases:case-list")}?attorney=none"' in html


def test_the_reassign_form_does_not_offer_nobody_as_the_new_lead(as_user, supervisor, case):
    html = as_user(supervisor).get(reverse("cases:case-list")).content.decode()
    new_lead = html.split('id="reassign-to"', 1)[1].split("</select>", 1)[0]
    assert f'value="{supervisor.pk}"' in new_lead
    assert 'value="none"' not in new_lead


def test_other_roles_filter_by_nobody_without_error(as_user, staff, case):
    for role in (Membership.Role.INTAKE, Membership.Role.ATTORNEY):
        assert as_user(staff[role]).get(reverse("cases:case-list"), {"attorney": "none"}).status_code == 200
