"""Writing many new rows at once, for the name index and the scale data.

On PostgreSQL, above a few hundred rows, COPY is several times faster than bulk_create: Django
prepares every field of every object in Python (a few µs a field), which dominates a load of
millions of rows (seed_scale's 3-minute budget for 100,000 clients). Ids are taken from the table's
sequence first, as an INSERT would take them. Other databases, and small writes, use bulk_create.

For a load of millions of rows (clients.scale): rows are tuples (Table), not model instances,
copied in COPY's binary format; loading() makes the database check their foreign keys once per key
instead of once per row, and build the indexes of empty tables once at the end; a Writer copies
them on a second connection, in one transaction, while the caller prepares the next ones; and
work that needs no database runs in forked processes (Forked), which hand back rows already
encoded (binary_encoder), so that a Python process is not limited to one core.
"""

import enum
import multiprocessing
import queue
import struct
import threading
import traceback
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from itertools import repeat
from operator import itemgetter

import psycopg
from django.db import IntegrityError, connection, models, transaction
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


@dataclass
class Encoded:
    """Rows already in COPY's binary format (binary_encoder), for `columns` of `model`."""

    model: type[models.Model]
    columns: list[str]
    data: bytes


@cache
def _defaults(model: type[models.Model]) -> dict[str, object]:
    """Each field's default (a callable one not called yet)."""
    return {f.attname: f.default if f.has_default() else f.get_default() for f in model._meta.concrete_fields}


def _default(default: object) -> object:
    return default() if callable(default) else default


def uses_copy(row_count: int) -> bool:
    return connection.vendor == "postgresql" and row_count >= COPY_FROM_ROWS


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


def value_rows(model: type[models.Model], attnames: Sequence[str], values: Sequence[tuple], *, ids=True) -> Rows:
    columns = [model._meta.get_field(name).column for name in attnames]
    if not ids:
        return Rows(model, columns, list(values))
    new_ids = reserve_ids(model, len(values))
    rows = [(pk, *row) for pk, row in zip(new_ids, values, strict=True)]
    return Rows(model, [model._meta.pk.column, *columns], rows, new_ids)


def write(rows: Rows | Encoded) -> None:
    """Saves `rows`: COPY on PostgreSQL, bulk_create elsewhere."""
    if connection.vendor == "postgresql" or isinstance(rows, Encoded):
        copy(rows)
        return
    attname = {f.column: f.attname for f in rows.model._meta.concrete_fields}
    fields = [attname[column] for column in rows.columns]
    objects = [rows.model(**dict(zip(fields, row, strict=True))) for row in rows.values]
    rows.model.objects.bulk_create(objects, batch_size=500)


def copy(rows: Rows | Encoded) -> None:
    """COPY in PostgreSQL's binary format: for dates and times a fifth of the work of the text
    format, here and in the database."""
    if isinstance(rows, Rows) and not rows.values:
        return
    table = rows.model._meta.db_table
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in rows.columns)
    # Read before the COPY starts: the connection takes no other query until it ends.
    types = None if isinstance(rows, Encoded) else _column_types(table, tuple(rows.columns))
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN (FORMAT BINARY)") as out,
    ):
        if isinstance(rows, Encoded):
            out.write(rows.data)
            return
        out.set_types(types)
        for row in rows.values:
            out.write_row(row)


def binary_encoder(model: type[models.Model], columns: Sequence[str]) -> Callable[[Sequence[tuple]], Encoded]:
    """A function that turns rows (values in `columns` order, as stored) into COPY's binary
    format without the database: for a process that has no connection of its own (Forked).
    Made where there is one (it reads the columns' types)."""
    pack = [_ENCODERS[oid] for oid in _column_types(model._meta.db_table, tuple(columns))]
    count = _INT16.pack(len(pack))
    columns = list(columns)
    # Most values come back again and again (statuses, titles, days, users): each column keeps
    # what it encoded.
    encoded: list[dict] = [{} for _ in pack]
    getters = [itemgetter(n) for n in range(len(pack))]

    def value_of(seen: dict, field: Callable[[object], bytes], value: object) -> bytes:
        if len(seen) > 50_000:
            seen.clear()
        data = seen[value] = field(value)
        return data

    def encode(rows: Sequence[tuple]) -> Encoded:
        if rows and len(rows[0]) != len(pack):
            raise ValueError(f"{len(rows[0])} values for {len(pack)} columns of {model._meta.db_table}")
        # Column by column, then each row's fields joined (in C): less than half the time of a
        # Python loop over every field of every row.
        fields = [
            [_NULL if value is None else (seen.get(value) or value_of(seen, field, value)) for value in map(at, rows)]
            for seen, field, at in zip(encoded, pack, getters, strict=True)
        ]
        body = b"".join(map(b"".join, zip(repeat(count, len(rows)), *fields, strict=True)))
        return Encoded(model, columns, _SIGNATURE + body + _TRAILER)

    return encode


# COPY's binary format (PostgreSQL manual, COPY, "Binary Format"): a signature, flags and header
# extension length; each row a field count, then each field's length (-1: NULL) and value; -1 at the end.
_SIGNATURE, _TRAILER, _NULL = b"PGCOPY\n\xff\r\n\x00" + bytes(8), b"\xff\xff", b"\xff\xff\xff\xff"
_INT16, _INT32 = struct.Struct(">h"), struct.Struct(">i")
_SIZED_INT16, _SIZED_INT32, _SIZED_INT64 = struct.Struct(">ih"), struct.Struct(">ii"), struct.Struct(">iq")
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_EPOCH_DAY = _EPOCH.date().toordinal()


def _text(value: str) -> bytes:
    data = value.encode()
    return _INT32.pack(len(data)) + data


def _timestamp(value: datetime) -> bytes:
    since = value - _EPOCH
    return _SIZED_INT64.pack(8, (since.days * 86_400 + since.seconds) * 1_000_000 + since.microseconds)


_ENCODERS = {
    16: lambda value: b"\x00\x00\x00\x01\x01" if value else b"\x00\x00\x00\x01\x00",  # boolean
    20: lambda value: _SIZED_INT64.pack(8, value),  # bigint
    21: lambda value: _SIZED_INT16.pack(2, value),  # smallint
    23: lambda value: _SIZED_INT32.pack(4, value),  # integer
    25: _text,  # text
    1043: _text,  # varchar
    1082: lambda value: _SIZED_INT32.pack(4, value.toordinal() - _EPOCH_DAY),  # date
    1184: _timestamp,  # timestamp with time zone
}


_TYPES: dict[tuple, list[int]] = {}


def _column_types(table: str, columns: tuple[str, ...]) -> list[int]:
    """The type of each column (its oid), which a binary COPY must name."""
    key = (connection.settings_dict["NAME"], table, columns)
    if key not in _TYPES:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
                "AND NOT attisdropped",
                [connection.ops.quote_name(table)],
            )
            types = dict(cursor.fetchall())
        _TYPES[key] = [types[column] for column in columns]
    return _TYPES[key]


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` new ids for rows of `model`, taken from its sequence. Elsewhere (SQLite, one
    writer at a time) the ids after the largest: write the rows before reserving more."""
    if not count:
        return []
    if connection.vendor != "postgresql":
        last = _max_id(model)
        return list(range(last + 1, last + count + 1))
    connection.ensure_connection()
    # One array in binary: a third of the time of a row per id (a load reserves millions).
    with psycopg.Cursor(connection.connection) as cursor:  # Django's own cursors bind client-side, in text
        cursor.execute(
            "SELECT array(SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s))",
            [model._meta.db_table, model._meta.pk.column, count],
            binary=True,
        )
        return cursor.fetchone()[0]


def _plain(value: object) -> object:
    # TextChoices members are str subclasses; the driver would write an Enum's name.
    return value.value if isinstance(value, enum.Enum) else value


class Table:
    """The COPY rows of `model` from tuples of the values of `fields`, in that order ("id" among
    them if the caller reserved the ids): every other column takes its model default, worked out
    once (auto_now and auto_now_add columns: the moment the Table is made). A tuple per row costs
    a tenth of a model instance, which counts for millions of rows."""

    def __init__(self, model: type[models.Model], fields: Sequence[str]):
        concrete = {f.attname: f for f in model._meta.concrete_fields}
        unknown = set(fields) - concrete.keys()
        if unknown:
            raise TypeError(f"{model.__name__} has no fields {sorted(unknown)}")
        now = timezone.now()
        rest = [f for name, f in concrete.items() if name not in fields and not f.primary_key]
        self.model = model
        self.fields = tuple(fields)
        self.columns = [concrete[name].column for name in fields] + [f.column for f in rest]
        self.defaults = tuple(now if _stamped(f) else _plain(_default(_defaults(model)[f.attname])) for f in rest)

    def rows(self, values: Iterable[tuple]) -> Rows:
        defaults = self.defaults
        return Rows(self.model, self.columns, [row + defaults for row in values] if defaults else list(values))


def _stamped(f: models.Field) -> bool:
    return getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)


@contextmanager
def loading(*models_loaded: type[models.Model]) -> Iterator[set[str]]:
    """A transaction (or savepoint) that adds many rows to the tables of `models_loaded`, which
    PostgreSQL takes in a fraction of the time it takes them one by one:

    - Foreign keys: PostgreSQL checks each key of each new row on its own at commit, and locks
      the row it points to; inside this block it skips those per-row checks
      (session_replication_role "replica", for a role that may set it, a superuser) and checks
      every key of the rows added once at the end, one query a key (check_foreign_keys). A row
      pointing nowhere raises IntegrityError and everything rolls back, as the database's own
      check would. Only for loads into a database nobody deletes from meanwhile: the rows
      pointed to are not locked.
    - Indexes: when the block is a transaction of its own and skips the per-row checks, the
      indexes of a table that is empty at the start, other than its primary key and unique
      constraints, are dropped and built again at the end (sorting once instead of inserting
      each row into each index); a unique index checks its rows as it is built. Until the
      transaction ends, other connections wait to read that table. The block gets the names of
      those tables.
    - Statistics: the tables are analyzed at the end, so that the next queries are planned for
      their new size.

    Everything is undone with the transaction if anything fails. Other databases, and roles
    that may not skip the checks, load as usual."""
    own_transaction = not connection.in_atomic_block
    with transaction.atomic():
        previous = _skip_key_triggers()
        since = {model: _max_id(model) for model in models_loaded} if previous is not None else {}
        # PostgreSQL cannot build an index on a table with checks pending: only in a transaction
        # of our own, whose rows queue none.
        dropped = _drop_indexes_of_empty_tables(models_loaded) if own_transaction and previous is not None else []
        yield {table for table, _definition in dropped}
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            # Index builds sort, and key checks hash, millions of rows: in memory, not on disk.
            cursor.execute("SELECT current_setting('maintenance_work_mem'), current_setting('work_mem')")
            memory = cursor.fetchone()
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            cursor.execute("SET LOCAL work_mem = '256MB'")
            for _table, definition in dropped:
                cursor.execute(definition)
            for table in _tables(models_loaded):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
            if previous is not None:
                cursor.execute("SELECT set_config('session_replication_role', %s, true)", [previous])
            check_foreign_keys(since)
            cursor.execute(
                "SELECT set_config('maintenance_work_mem', %s, true), set_config('work_mem', %s, true)", memory
            )


def _tables(models_loaded) -> list[str]:
    return list(dict.fromkeys(model._meta.db_table for model in models_loaded))


def _drop_indexes_of_empty_tables(models_loaded) -> list[tuple[str, str]]:
    """Drops the indexes (but the primary key and unique constraints) of the tables that have no
    rows; returns each table with a statement that creates one again."""
    if connection.vendor != "postgresql":
        return []
    definitions = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in _tables(models_loaded):
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {quote(table)})")  # noqa: S608 (a model's table)
            if cursor.fetchone()[0]:
                continue
            cursor.execute(
                "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index AS i "
                "WHERE indrelid = %s::regclass AND NOT indisprimary "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = i.indexrelid) ORDER BY 1",
                [quote(table)],
            )
            for name, definition in cursor.fetchall():
                cursor.execute(f"DROP INDEX {name}")
                definitions.append((table, definition))
    return definitions


def _skip_key_triggers() -> str | None:
    """Turns the per-row key checks off for this transaction if the role may; returns the
    setting to restore (None: checks stay on)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('is_superuser'), current_setting('session_replication_role')")
        superuser, previous = cursor.fetchone()
        if superuser != "on":
            return None
        cursor.execute("SELECT set_config('session_replication_role', 'replica', true)")
    return previous


def _max_id(model: type[models.Model]) -> int:
    table, pk = connection.ops.quote_name(model._meta.db_table), connection.ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max({pk}), 0) FROM {table}")  # noqa: S608 (the model's own names)
        return cursor.fetchone()[0]


def check_foreign_keys(since: dict[type[models.Model], int]) -> None:
    """Raises IntegrityError if a row of a model added after the id `since[model]` has a foreign
    key that points to no row: what the database checks row by row, in one scan of each table
    (a left join to each table its keys point to; an aggregate, so that PostgreSQL hashes them
    instead of looking up each row)."""
    quote = connection.ops.quote_name
    for model, last_id in since.items():
        keys = [f for f in model._meta.concrete_fields if f.is_relation and f.db_constraint]
        if not keys:
            continue
        pk = f"c.{quote(model._meta.pk.column)}"
        joins, first_broken = [], []
        for n, f in enumerate(keys):
            column, target = f"c.{quote(f.column)}", f"t{n}.{quote(f.target_field.column)}"
            joins.append(f"LEFT JOIN {quote(f.target_field.model._meta.db_table)} AS t{n} ON {target} = {column}")
            first_broken.append(f"min({pk}) FILTER (WHERE {column} IS NOT NULL AND {target} IS NULL)")
        sql = (
            f"SELECT {', '.join(first_broken)} FROM {quote(model._meta.db_table)} AS c "  # noqa: S608 (model names)
            f"{' '.join(joins)} WHERE {pk} > %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [last_id])
            found = cursor.fetchone()
        for f, row_id in zip(keys, found, strict=True):
            if row_id is not None:
                target = f.target_field.model._meta.db_table
                raise IntegrityError(f"{model._meta.db_table} row {row_id}: {f.column} is not a row of {target}")


class Writer:
    """Writes rows on a second connection, in one transaction inside loading(), while the caller
    prepares the next ones: Python and PostgreSQL then work at the same time, one core each.
    Jobs (a batch of rows to copy, or any function) run in order; the caller waits only when
    two are queued. If the caller fails, or a job does, nothing is committed.

    Inside a transaction (whose rows a second connection could not see) and on other databases,
    each job runs at once, in the caller's transaction."""

    def __init__(self, *models_loaded: type[models.Model]):
        self.models = models_loaded
        self.parallel = connection.vendor == "postgresql" and not connection.in_atomic_block
        self.queue: queue.Queue[Callable[[], object] | None] = queue.Queue(maxsize=2)
        self.failure: BaseException | None = None
        self.aborted = False
        self.all_read = False
        self.started = threading.Event()
        self.unindexed: set[str] = set()  # tables whose indexes are built at the end
        self.thread = threading.Thread(target=self._run, name="bulk-writer", daemon=True)
        self.inline = ExitStack()

    def __enter__(self) -> "Writer":
        if not self.parallel:
            self.unindexed = self.inline.enter_context(loading(*self.models))
            return self
        self.thread.start()
        self.started.wait()
        if self.failure is not None:
            self.thread.join()
            raise self.failure
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        if not self.parallel:
            self.inline.__exit__(exc_type, exc, traceback)
            return
        self.aborted = exc_type is not None
        self.queue.put(None)
        self.thread.join()
        if exc_type is None and self.failure is not None:
            raise self.failure

    def copy(self, rows: Iterable[Rows | Encoded | Callable[[], Rows | Encoded]]) -> None:
        """Copies `rows` (tables in the order given); a function stands for rows that it returns
        when their turn comes, on the writer's thread (the result of a Forked process)."""
        batch = list(rows)
        self.call(lambda: [write(table_rows() if callable(table_rows) else table_rows) for table_rows in batch])

    def call(self, job: Callable[[], object]) -> None:
        """Runs `job` on the writer's connection, after the jobs before it."""
        if not self.parallel:
            job()
            return
        if self.failure is not None:
            raise self.failure
        self.queue.put(job)

    def _run(self) -> None:
        try:
            with loading(*self.models) as unindexed:
                self.unindexed = unindexed
                self.started.set()
                for job in iter(self._next, None):
                    job()
                if self.aborted:
                    raise _AbortedError
        except _AbortedError:
            pass
        except BaseException as error:  # handed to the caller, who raises it
            self.failure = error
        finally:
            self.started.set()
            while not self.all_read:  # never leave the caller blocked on a full queue
                self._next()
            connection.close()  # this thread's own connection

    def _next(self) -> Callable[[], object] | None:
        job = self.queue.get()
        self.all_read = job is None
        return job


class _AbortedError(Exception):
    """The caller failed: roll the load back."""


def writes_in_parallel() -> bool:
    """Whether a Writer made now would write on a second connection."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


class Forked:
    """Runs `work(job)` in a forked process for each job sent, in order, and hands back what it
    returns (byte strings, such as Encoded data) in the same order: pure Python work, no
    database, that would otherwise share the caller's one core (a Python process computes on
    one).

    Start it before any thread (a Writer's): a fork copies only the thread that forks. The
    process never touches the database connection it inherits, and ends without closing it."""

    def __init__(self, work: Callable[[object], Sequence[bytes]]):
        context = multiprocessing.get_context("fork")
        jobs, self.jobs = context.Pipe(duplex=False)
        self.results, results = context.Pipe(duplex=False)
        # The child closes the caller's ends of its own pipes and of every other Forked, so
        # that each sees the end of its jobs (EOF) when the caller closes it, or dies.
        theirs = [self.jobs, self.results, *(end for other in _LIVE for end in (other.jobs, other.results))]
        self.process = context.Process(
            target=_serve, args=(work, jobs, results, theirs), name="bulk-forked", daemon=True
        )
        self.process.start()
        jobs.close()
        results.close()
        _LIVE.add(self)

    def send(self, job: object) -> None:
        self.jobs.send(job)

    def result(self) -> list[bytes]:
        """What the oldest job not yet taken returned (waits for it)."""
        head = self.results.recv_bytes()
        if head.startswith(_FAILED):
            raise RuntimeError(f"The forked process failed:\n{head[len(_FAILED) :].decode()}")
        return [self.results.recv_bytes() for _ in range(int(head))]

    def close(self) -> None:
        _LIVE.discard(self)
        self.jobs.close()
        self.process.join(timeout=10)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join()
        self.results.close()


_LIVE: "weakref.WeakSet[Forked]" = weakref.WeakSet()
_FAILED = b"\x00forked-failed\x00"


def _serve(work: Callable[[object], Sequence[bytes]], jobs, results, theirs) -> None:
    for end in theirs:
        end.close()
    while True:
        try:
            job = jobs.recv()
        except EOFError:  # the caller is done
            return
        try:
            parts = work(job)
        except BaseException:
            results.send_bytes(_FAILED + traceback.format_exc().encode())
            return
        results.send_bytes(str(len(parts)).encode())
        for part in parts:
            results.send_bytes(part)
