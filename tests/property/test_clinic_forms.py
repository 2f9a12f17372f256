"""Bad input never crashes the clinic's own pages: staff, settings, sign-in and password forms,
the dashboard and its reports and downloads, fed arbitrary text, dates and numbers
(tests/property/strategies.py) by a user allowed to use them. The answer is a form error or a
success, never a 500; a form shown again wrote nothing; a success wrote its records with their
audit event (tests/property/harness.py).

Covered (clinic/urls.py and the URL modules it includes):
- forms: staff-create and staff-edit (clinic admin), settings (clinic admin), dashboard-recount
  (supervisor; the `query` it sends back), login (signed out; also the right password, so a
  sign-in can succeed), password_reset (signed out), password_change (an attorney; not with the
  right old password: a change writes no audit event, a bug kept as a strict xfail in
  tests/clinic/test_auth.py), password_reset_confirm (signed out, any uid and token);
- searches, reports and downloads (supervisor): dashboard (?attorney, court, process, date_from,
  date_to), activity (?page), closing (?date_from, date_to), closing-export, case-export and
  dashboard-export (every table key and format, with their filters; an unknown key is 404),
  notifications list (?page, an attorney); also with NUL bytes and unicode in the raw query string;
- two-factor sign-in: two-factor-enrol (an attorney, for whom it is optional) and
  two-factor-verify (a supervisor past the password, with an authenticator), any code.

Left out: home, healthz, logout, password_change_done, password_reset_done,
password_reset_complete, staff-list, staff-deactivate, staff-reactivate, staff-invite,
notifications open and read-all, two-factor (the overview), two-factor-renew-codes and
two-factor-remove read no input but the ids in their address or a button; two-factor-codes only a
box ticked once the codes are saved, right after the set-up; admin is Django's own site for
superusers, and its read-only audit log is the audit tests' subject."""

import pytest
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.urls import get_resolver, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import given
from hypothesis import strategies as st

from cases.forms import CaseFilterForm
from clinic import two_factor, two_factor_views
from clinic.dashboard import TABLE_KEYS
from clinic.dashboard_forms import DashboardFilterForm
from clinic.forms import ClinicSettingsForm, StaffCreateForm, StaffForm
from clinic.models import Membership
from tests.factories import TEST_PASSWORD
from tests.property.harness import Target, exchange, get_drawn, judge_get, post_drawn
from tests.property.strategies import query_params, text

Role = Membership.Role
pytestmark = pytest.mark.django_db


class RecountForm(forms.Form):
    """What the dashboard's "Count again now" button posts: the page's query string."""

    query = forms.CharField(required=False)


TARGETS = [
    Target("clinic:staff-create", Role.CLINIC_ADMIN, forms=lambda w: [StaffCreateForm()],
           valid=lambda w: {"username": "new.person", "email": "new.person@example.org"},
           creates="clinic_membership"),
    Target("clinic:staff-edit", Role.CLINIC_ADMIN, args=lambda w: [w.user(Role.INTAKE).membership.pk],
           forms=lambda w: [StaffForm()], valid=lambda w: {"role": Role.INTAKE}),
    Target("clinic:settings", Role.CLINIC_ADMIN, forms=lambda w: [ClinicSettingsForm(clinic=w.clinic)]),
    Target("clinic:dashboard-recount", Role.SUPERVISOR, forms=lambda w: [RecountForm()], shows_errors=False),
    Target("login", None, forms=lambda w: [AuthenticationForm()],
           valid=lambda w: {"username": w.user(Role.ATTORNEY).username, "password": TEST_PASSWORD}),
    Target("password_reset", None, forms=lambda w: [PasswordResetForm()],
           valid=lambda w: {"email": w.user(Role.ATTORNEY).email}),
    # Without the right old password: a change that succeeds writes no audit event, a bug kept as a
    # strict xfail in tests/clinic/test_auth.py (test_a_password_change_is_audited).
    Target("password_change", Role.ATTORNEY, forms=lambda w: [PasswordChangeForm(w.user(Role.ATTORNEY))]),
    Target("clinic:two-factor-enrol", Role.ATTORNEY, forms=lambda w: [two_factor_views.EnrolForm()]),
]  # fmt: skip

DASHBOARD = list(DashboardFilterForm.base_fields)
CLOSING = ["date_from", "date_to"]
SEARCHES = {
    "clinic:dashboard": (Role.SUPERVISOR, DASHBOARD),
    "clinic:activity": (Role.SUPERVISOR, ["page"]),
    "reports:closing": (Role.SUPERVISOR, CLOSING),
    "notifications:list": (Role.ATTORNEY, ["page"]),
}
CLOSING_KEYS = ["all", "closing-reason", "funding-source", "outcome"]

LEFT_OUT = {
    "home", "healthz", "logout", "password_change_done", "password_reset_done", "password_reset_complete",
    "clinic:staff-list", "clinic:staff-deactivate", "clinic:staff-reactivate", "clinic:staff-invite",
    "notifications:open", "notifications:read-all", "clinic:two-factor", "clinic:two-factor-codes",
    "clinic:two-factor-renew-codes", "clinic:two-factor-remove",
}  # fmt: skip
COVERED_ELSEWHERE = {
    "reports:closing-export", "reports:case-export", "reports:dashboard-export", "password_reset_confirm",
    "clinic:two-factor-verify", "clinic:language",  # tests/clinic/test_languages.py
}  # fmt: skip


def _names() -> set[str]:
    resolver = get_resolver()
    names = {name for name in resolver.reverse_dict if isinstance(name, str)}
    for namespace in ("clinic", "reports", "notifications"):
        inner = resolver.namespace_dict[namespace][1].reverse_dict
        names |= {f"{namespace}:{name}" for name in inner if isinstance(name, str)}
    return names


def test_every_view_of_the_app_is_covered_or_left_out_with_a_reason():
    covered = {target.url_name for target in TARGETS} | set(SEARCHES) | COVERED_ELSEWHERE
    assert _names() == covered | LEFT_OUT, (_names() - covered - LEFT_OUT, (covered | LEFT_OUT) - _names())


def _client_for(world, target_role, client, as_user):
    return client if target_role is None else as_user(world.user(target_role))


@pytest.mark.parametrize("target", TARGETS, ids=str)
@given(data=st.data())
def test_a_form_answers_an_error_or_a_whole_success(world, client, as_user, target, data):
    post_drawn(_client_for(world, target.role, client, as_user), world, target, data)


@given(data=st.data())
def test_a_new_password_from_a_reset_link_answers_an_error_or_a_success(world, client, data):
    """Any uid and token in the link: an invalid link says so; nothing is changed by it."""
    uid = data.draw(st.from_regex(r"\A[0-9A-Za-z_\-]{1,12}\Z") | st.just("MQ"), label="uid")
    token = data.draw(st.from_regex(r"\A[0-9A-Za-z]{1,13}-[0-9A-Za-z]{1,64}\Z") | st.just("set-password"))
    url = reverse("password_reset_confirm", args=[uid, token])
    payload = data.draw(
        st.fixed_dictionaries({}, optional=dict.fromkeys(SetPasswordForm.base_fields, text)), label="post"
    )
    for send in (lambda: client.get(url), lambda: client.post(url, payload)):
        response, changed, _audited, _before, _after = exchange(send)
        judge_get("password_reset_confirm", response, changed, allowed=(200, 302))


@given(data=st.data())
def test_the_second_sign_in_step_answers_an_error_or_a_success(world, client, data):
    """A supervisor past the password, not yet past the code: any code and `next` posted."""
    supervisor = world.user(Role.SUPERVISOR)
    client.force_login(supervisor)
    if two_factor.confirmed_totp_device(supervisor) is None:
        TOTPDevice.objects.create(user=supervisor, name="Phone", confirmed=True)
    target = Target("clinic:two-factor-verify", Role.SUPERVISOR, forms=lambda w: [two_factor_views.CodeForm()])
    post_drawn(client, world, target, data)


@pytest.mark.parametrize("name", list(SEARCHES))
@given(data=st.data())
def test_a_search_or_list_page_reads_any_query(world, as_user, name, data):
    role, params = SEARCHES[name]
    get_drawn(as_user(world.user(role)), name, reverse(name), data.draw(query_params(params), label="query"))


@given(data=st.data())
def test_a_download_reads_any_filter(world, as_user, data):
    """Each report and table download, with any filters: the file, back to the form for a bad
    date range (closing report), or 404 for a table that does not exist. Never a crash, also
    while the file streams."""
    kind = data.draw(st.sampled_from(["closing", "cases", "dashboard"]), label="kind")
    fmt = data.draw(st.sampled_from(["csv", "xlsx"]), label="format")
    slugs = st.from_regex(r"\A[-a-zA-Z0-9_]{1,20}\Z")
    if kind == "closing":
        key = data.draw(st.sampled_from(CLOSING_KEYS) | slugs, label="key")
        url, params = reverse("reports:closing-export", args=[key, fmt]), CLOSING
    elif kind == "cases":
        url, params = reverse("reports:case-export", args=[fmt]), list(CaseFilterForm.base_fields)
    else:
        key = data.draw(st.sampled_from(TABLE_KEYS) | slugs, label="key")
        url, params = reverse("reports:dashboard-export", args=[key, fmt]), DASHBOARD
    query = data.draw(query_params(params), label="query")
    get_drawn(as_user(world.user(Role.SUPERVISOR)), url, url, query, allowed=(200, 302, 404))


RAW_QUERIES = [
    "attorney=%00", "court=%00", "process=%00", "date_from=%00&date_to=2026-01-01", "date_from=2026-01-01%00",
    "date_from=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%96-01-05&date_to=2026-02-01", "page=%00", "page=%D9%A3",
    "date_from=0001-01-01&date_to=9999-12-31", "date_from=9999-12-31&date_to=9999-12-31",
    "attorney=99999999999999999999&court=-1",
]  # fmt: skip


@pytest.mark.parametrize("name", list(SEARCHES))
@pytest.mark.parametrize("query", RAW_QUERIES)
def test_nul_bytes_and_unicode_in_the_query_string(world, as_user, name, query):
    role, _params = SEARCHES[name]
    get_drawn(as_user(world.user(role)), name, f"{reverse(name)}?{query}", {})
