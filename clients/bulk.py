"""Writing many new rows at once, for the name index and the scale data.

On PostgreSQL, above a few hundred rows, COPY is several times faster than bulk_create: Django
prepares every field of every object in Python (a few µs a field), which dominates a load of
millions of rows (seed_scale's 3-minute budget for 100,000 clients). Ids are taken from the table's
sequence first, as an INSERT would take them. Other databases, and small writes, use bulk_create.

Preparing rows (Python) and copying them (the database) are separate steps, so that a loader can
prepare the next rows while another connection copies the last ones.
"""

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from django.db import connection, models
from django.utils import timezone

# Below this many rows bulk_create is as quick, and it is what every other write uses.
COPY_FROM_ROWS = 500


@dataclass
class Rows:
    """Rows ready for COPY: values in `columns` order, as stored."""

    model: type[models.Model]
    columns: list[str]
    values: list[tuple]
    ids: list[int] = field(default_factory=list)


def new(model: type[models.Model], **values) -> models.Model:
    """A new instance, built by position: three times faster than by keyword, which counts for a
    million records. Values by attribute name (clinic_id) or relation (client=<object>)."""
    defaults, relations = _construction(model)
    unknown = values.keys() - defaults.keys() - relations
    if unknown:
        raise TypeError(f"{model.__name__} has no fields {sorted(unknown)}")
    obj = model(*(values[name] if name in values else _default(default) for name, default in defaults.items()))
    for name in relations & values.keys():
        setattr(obj, name, values[name])
    return obj


@cache
def _construction(model: type[models.Model]) -> tuple[dict[str, object], frozenset[str]]:
    fields = model._meta.concrete_fields
    defaults = {f.attname: f.default if f.has_default() else f.get_default() for f in fields}
    return defaults, frozenset(f.name for f in fields if f.is_relation)


def _default(default: object) -> object:
    return default() if callable(default) else default


def uses_copy(row_count: int) -> bool:
    return connection.vendor == "postgresql" and row_count >= COPY_FROM_ROWS


def insert(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """Saves new `objects` of `model` and sets their primary keys, like bulk_create."""
    if uses_copy(len(objects)):
        copy(object_rows(model, objects))
    else:
        model.objects.bulk_create(objects, batch_size=2000)


def insert_rows(model: type[models.Model], attnames: Sequence[str], values: Sequence[tuple], *, ids=True) -> list[int]:
    """Saves plain rows (values in `attnames` order, as stored) without building objects, for
    narrow tables of millions of rows; returns the new ids in order if `ids`."""
    if uses_copy(len(values)):
        rows = value_rows(model, attnames, values, ids=ids)
        copy(rows)
        return rows.ids
    objects = [model(**dict(zip(attnames, row, strict=True))) for row in values]
    model.objects.bulk_create(objects, batch_size=2000)
    return [obj.pk for obj in objects] if ids else []


def object_rows(model: type[models.Model], objects: Sequence[models.Model]) -> Rows:
    """The COPY rows of new objects, whose primary keys are taken from the sequence and set."""
    for obj, pk in zip(objects, reserve_ids(model, len(objects)), strict=True):
        obj.pk = pk
    fields = model._meta.concrete_fields
    stamped = [f.attname for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    relations = [f for f in fields if f.is_relation]
    attnames = [f.attname for f in fields]
    now = timezone.now()
    values = []
    for obj in objects:
        for name in stamped:
            obj.__dict__[name] = obj.__dict__[name] or now
        for f in relations:
            _take_related_pk(obj, f)
        # The instance dict holds the stored value (a country code, not a Country object).
        values.append(tuple(_plain(obj.__dict__[name]) for name in attnames))
    return Rows(model, [f.column for f in fields], values, [obj.pk for obj in objects])


def value_rows(model: type[models.Model], attnames: Sequence[str], values: Sequence[tuple], *, ids=True) -> Rows:
    columns = [model._meta.get_field(name).column for name in attnames]
    if not ids:
        return Rows(model, columns, list(values))
    new_ids = reserve_ids(model, len(values))
    rows = [(pk, *row) for pk, row in zip(new_ids, values, strict=True)]
    return Rows(model, [model._meta.pk.column, *columns], rows, new_ids)


def copy(rows: Rows) -> None:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in rows.columns)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {quote(rows.model._meta.db_table)} ({columns}) FROM STDIN") as out,
    ):
        for row in rows.values:
            out.write_row(row)


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, model._meta.pk.column])
        sequence = cursor.fetchone()[0]
        cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, count])
        return [row[0] for row in cursor.fetchall()]


def _take_related_pk(obj: models.Model, relation: models.ForeignKey) -> None:
    """A foreign key set to an object that was saved after it was assigned (as bulk_create does)."""
    if obj.__dict__[relation.attname] is None and relation.is_cached(obj):
        related = relation.get_cached_value(obj)
        if related is not None:
            obj.__dict__[relation.attname] = related.pk


def _plain(value: object) -> object:
    # TextChoices members are str subclasses; the driver would write an Enum's name.
    return value.value if isinstance(value, enum.Enum) else value
