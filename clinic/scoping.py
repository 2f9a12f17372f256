"""Every read of a clinic's records names the clinic: a query that does not fails loudly.

A clinic-owned model (a client, a case, a deadline…) uses ClinicScopedManager. While a request
is being served with settings.CLINIC_SCOPE_GUARD on (tests and development), each of its queries
must be narrowed, in its WHERE clause, by one of:

- a clinic: `Client.objects.filter(clinic=clinic)`, or through a join, `Deadline.objects.filter(
  case__clinic=clinic)`;
- a record that was itself read for the clinic: `case.deadlines.all()`, `Evidence.objects.filter(
  case=case)`, `Reminder.objects.filter(deadline__in=…)`;
- for a person's own records, the person: `Notification.objects.filter(user=request.user)`.

Anything else, `Case.objects.get(pk=pk)` above all, raises UnscopedQueryError naming the model,
instead of quietly showing one clinic's asylum files to another (8 CFR 208.6). A deliberate read
across clinics (a feed found by its secret token, the platform admin) says so with
`across_clinics()`. Celery tasks and management commands are not requests: they work across
clinics by design and are not checked.
"""

import contextlib
import traceback
from contextvars import ContextVar
from pathlib import Path

from celery.signals import task_postrun, task_prerun
from django.conf import settings
from django.db import models
from django.db.models.expressions import Col
from django.db.models.lookups import Lookup
from django.db.models.sql import Query
from django.db.models.sql.where import AND, NothingNode, WhereNode

# Only these lookups narrow a query to given records; `case__isnull=False` narrows nothing.
NARROWING_LOOKUPS = {"exact", "in"}

_guard_on: ContextVar[bool] = ContextVar("clinic_scope_guard", default=False)


class UnscopedQueryError(Exception):
    pass


class ClinicScopedQuery(Query):
    """A Query that checks its WHERE clause when it is turned into SQL, while the guard is on.

    The check is on as_sql, not get_compiler: Django also asks for a compiler only to read the
    ordering of a query it is about to filter (prefetching a sliced queryset).
    """

    def get_compiler(self, *args, **kwargs):
        compiler = super().get_compiler(*args, **kwargs)
        if _guard_on.get():
            unchecked_as_sql = compiler.as_sql

            def as_sql(*sql_args, **sql_kwargs):
                if not _is_narrowed(self.where):
                    raise UnscopedQueryError(
                        f"A query of {self.model._meta.label} ({_caller()}) is not narrowed to one clinic. "
                        "Filter it by the clinic, by a record read for the clinic (case=case) or by the "
                        "signed-in person, or wrap a deliberate read across clinics in "
                        "clinic.scoping.across_clinics()."
                    )
                return unchecked_as_sql(*sql_args, **sql_kwargs)

            compiler.as_sql = as_sql
        return compiler


class ClinicScopedQuerySet(models.QuerySet):
    def __init__(self, model=None, query=None, using=None, hints=None):
        super().__init__(model=model, query=query or ClinicScopedQuery(model), using=using, hints=hints)


ClinicScopedManager = models.Manager.from_queryset(ClinicScopedQuerySet, "ClinicScopedManager")


def _caller() -> str:
    """The project's own line that ran the query, to put in the error."""
    root = Path(settings.BASE_DIR)
    for frame in reversed(traceback.extract_stack()[:-2]):
        path = Path(frame.filename)
        if path.is_relative_to(root) and ".venv" not in path.parts and path.name != "scoping.py":
            return f"{path.relative_to(root)}:{frame.lineno} in {frame.name}"
    return "outside the project"


def _is_narrowed(node) -> bool:
    """Whether every row the WHERE clause admits belongs to one clinic (or one person)."""
    if isinstance(node, NothingNode):
        return True
    if isinstance(node, WhereNode):
        if node.negated or not node.children:
            return False
        answers = [_is_narrowed(child) for child in node.children]
        # AND: one narrowing condition is enough; OR (and XOR): every branch must narrow.
        return any(answers) if node.connector == AND else all(answers)
    if not isinstance(node, Lookup) or node.lookup_name not in NARROWING_LOOKUPS:
        return False
    if isinstance(node.rhs, ClinicScopedQuery):
        # Ids taken from a clinic's own records; that query is checked when it is compiled.
        return True
    return isinstance(node.lhs, Col) and _is_scope_field(node.lhs.target)


def _is_scope_field(field) -> bool:
    if field.name in getattr(field.model, "scoped_by_person", ()):
        return True
    related = getattr(field, "related_model", None)
    if related is None or (not field.many_to_one and not field.one_to_one):
        return False
    return related._meta.label == "clinic.Clinic" or is_clinic_owned(related)


def is_clinic_owned(model) -> bool:
    return issubclass(getattr(model._default_manager, "_queryset_class", object), ClinicScopedQuerySet)


@contextlib.contextmanager
def _guard(on: bool):
    token = _guard_on.set(on)
    try:
        yield
    finally:
        _guard_on.reset(token)


def guarded():
    """Checks every query of a clinic-owned model in the block, as the middleware does for a view."""
    return _guard(True)


def across_clinics():
    """A deliberate read that is not narrowed to one clinic; the caller says in a comment why it is safe."""
    return _guard(False)


class ClinicScopeGuardMiddleware:
    """Turns the guard on for each view, except the platform admin's (it works across clinics).

    Its process_view runs last (AxesMiddleware, after it, has none), so the guard covers the view
    and none of the middleware before it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            token = getattr(request, "_clinic_scope_guard", None)
            if token is not None:
                _guard_on.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if settings.CLINIC_SCOPE_GUARD and request.resolver_match.namespace != "admin":
            request._clinic_scope_guard = _guard_on.set(True)


# A task queued by a view runs in-process in tests (CELERY_TASK_ALWAYS_EAGER), inside the view's
# guard; tasks work across clinics by design, so the guard is off for their body.
_task_tokens: dict[str, object] = {}


@task_prerun.connect
def _guard_off_in_task(task_id=None, **kwargs):
    _task_tokens[task_id] = _guard_on.set(False)


@task_postrun.connect
def _guard_back_after_task(task_id=None, **kwargs):
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        _guard_on.reset(token)
