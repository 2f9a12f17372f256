"""Posting one drawn submission and judging the answer.

Each exchange runs inside a savepoint that is rolled back afterwards, so every Hypothesis example
starts from the same records (tests/property/world.py). A plain savepoint, not an atomic block:
the evidence upload opens a durable atomic block, which may only nest in the test's own.

What every answer must be:
- never a crash: the test client raises the view's exception, so a 500 fails the example;
- a form shown again with its errors (200 to a post) has written nothing at all;
- a post that changed any record also wrote an audit event (the write is whole, with its trail);
- a redirect goes to a path of this site, never to an address taken from the post."""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.apps import apps
from django.core.cache import cache
from django.db import connection, transaction
from django.template import Context
from django.urls import reverse
from hypothesis import event

from tests.property.strategies import submission
from tests.property.world import World

# Derived or bookkeeping tables: the audit trail (counted on its own), the dashboard's figures
# (recounted on a look), the worker's heartbeat.
NOT_RECORDS = {"clinic_auditevent", "clinic_dashboardcount", "clinic_dashboardcounted", "clinic_heartbeat"}
AUDIT = "clinic_auditevent"
RECORD_APPS = ("clinic", "clients", "cases")


def _tables() -> list[tuple[str, str]]:
    return sorted(
        (model._meta.db_table, model._meta.pk.column)
        for label in RECORD_APPS
        for model in apps.get_app_config(label).get_models()
    )


def fingerprint() -> dict[str, tuple[int, str]]:
    """Each table of the apps: its row count and a digest of every row, in one query."""
    # The names are the models' own tables, not input.
    parts = [
        f"SELECT '{table}', count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t.\"{pk}\"), '')) "  # noqa: S608
        f'FROM "{table}" t'
        for table, pk in _tables()
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        return {table: (count, digest) for table, count, digest in cursor.fetchall()}


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(table for table in before if table not in NOT_RECORDS and before[table] != after[table])


def exchange(send: Callable[[], object], *, after_response: Callable | None = None):
    """(response, tables changed, whether an audit event was written), the database rolled back
    and the cache emptied: sessions are read through the cache (cached_db), and a session the
    rollback removed must not come back from it in the next example."""
    savepoint = transaction.savepoint()
    try:
        before = fingerprint()
        response = send()
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)  # an export fails while it streams, if it fails
        if after_response is not None:
            after_response(response)
        after = fingerprint()
        return response, changed_tables(before, after), after[AUDIT][0] > before[AUDIT][0], before, after
    finally:
        transaction.savepoint_rollback(savepoint)
        cache.clear()


def _contexts(response) -> list:
    context = response.context
    if context is None:
        return []
    return [context] if isinstance(context, Context) else list(context)


def forms_in_context(response) -> list:
    found = []
    for context in _contexts(response):
        for value in context.flatten().values():
            # A page of several forms lists them with their rows: [(row, form), ...].
            inner = [item for row in value for item in _items(row)] if isinstance(value, list | tuple) else [value]
            for item in inner:
                if isinstance(item, forms.BaseForm | forms.BaseFormSet) and item.is_bound and item not in found:
                    found.append(item)
    return found


def _items(row) -> list:
    return list(row) if isinstance(row, list | tuple) else [row]


def has_errors(form) -> bool:
    if isinstance(form, forms.BaseFormSet):
        return form.total_error_count() > 0
    return bool(form.errors)


def assert_local_redirect(response, *, signed_in: bool = True) -> None:
    location = response["Location"]
    assert location.startswith("/"), f"redirect to {location!r}"
    assert not location.startswith(("//", "/\\")), f"redirect to {location!r}"
    if signed_in:
        # Not sent to sign in (or to its second step): then the form itself was never tried.
        for page in ("login", "clinic:two-factor-verify", "clinic:two-factor-enrol"):
            assert not location.startswith(reverse(page)), f"redirected to {location!r}"


@dataclass(frozen=True)
class Target:
    """A view that takes a form: its URL, who posts, the forms as the view builds them (to draw
    the fields from), values known to pass, and what a success creates."""

    url_name: str
    role: str | None  # None: signed out
    args: Callable[[World], list] = lambda world: []
    forms: Callable[[World], list] = lambda world: []
    valid: Callable[[World], dict] = lambda world: {}
    # The table that grows by exactly one row when the form succeeds (a redirect).
    creates: str = ""
    # False for the views that redirect with a message whatever happens (buttons, not pages).
    shows_errors: bool = True
    files: Callable | None = None  # a strategy of {"field": [uploaded files]} to add to the post

    def __str__(self) -> str:
        return f"{self.url_name}-as-{self.role or 'signed-out'}"


def judge_post(
    target: Target, response, changed: list[str], audited: bool, before: dict, after: dict, *, posted=True
) -> None:
    status = response.status_code
    # What the examples reached (pytest --hypothesis-show-statistics): errors, successes, writes.
    event(f"answered {status}" + (", wrote records" if changed else ""))
    assert status in (200, 302), f"{target}: answered {status}"
    if status == 302:
        assert_local_redirect(response, signed_in=target.role is not None)
    if changed:
        assert audited, f"{target}: wrote {changed} without an audit event"
    if status == 200:
        assert not changed, f"{target}: the form was shown again, yet {changed} were written"
        # An empty post (no browser sends one) shows the blank form again, as a GET does.
        if target.shows_errors and posted:
            bound = forms_in_context(response)
            assert bound, f"{target}: answered 200 to a post without a form"
            assert any(has_errors(form) for form in bound) or _asks_to_confirm(response), (
                f"{target}: answered 200 to a post, but no form shows an error"
            )
    if status == 302 and target.shows_errors and target.creates:
        grown = after[target.creates][0] - before[target.creates][0]
        assert grown == 1, f"{target}: succeeded, but {target.creates} grew by {grown}"
        assert audited, f"{target}: created a record without an audit event"


def _asks_to_confirm(response) -> bool:
    """Closing a case with open deadlines shows the form again to ask for a confirmation."""
    return any(context.get("open_count") for context in _contexts(response))


def judge_get(name: str, response, changed: list[str], *, allowed=(200,)) -> None:
    assert response.status_code in allowed, f"{name}: answered {response.status_code}"
    if response.status_code == 302:
        assert_local_redirect(response)
    assert not changed, f"{name}: a search wrote {changed}"


def post_drawn(client, world: World, target: Target, data) -> None:
    """Draws one submission for `target`, posts it as its user, and judges the answer."""
    url = reverse(target.url_name, args=target.args(world))
    payload = data.draw(submission(target.forms(world), target.valid(world)), label="post")
    if target.files is not None:
        payload |= data.draw(target.files(world), label="files")
    response, changed, audited, before, after = exchange(lambda: client.post(url, payload))
    judge_post(target, response, changed, audited, before, after, posted=bool(payload))


def get_drawn(client, name: str, url: str, params: dict, *, allowed=(200,)) -> None:
    response, changed, _audited, _before, _after = exchange(lambda: client.get(url, params))
    judge_get(name, response, changed, allowed=allowed)
