"""The database itself refuses UPDATE and DELETE on the audit log, whatever code runs.

TRUNCATE (used only by the test runner to empty tables between tests) is not a row operation
and is not refused.
"""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE FUNCTION clinic_auditevent_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER clinic_auditevent_append_only
    BEFORE UPDATE OR DELETE ON clinic_auditevent
    FOR EACH ROW EXECUTE FUNCTION clinic_auditevent_refuse_change();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER clinic_auditevent_append_only ON clinic_auditevent;
DROP FUNCTION clinic_auditevent_refuse_change();
"""
SQLITE_FORWARD = [
    "CREATE TRIGGER clinic_auditevent_no_update BEFORE UPDATE ON clinic_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END;",
    "CREATE TRIGGER clinic_auditevent_no_delete BEFORE DELETE ON clinic_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused'); END;",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER clinic_auditevent_no_update;",
    "DROP TRIGGER clinic_auditevent_no_delete;",
]


def _run(schema_editor, postgres, sqlite):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": [postgres], "sqlite": sqlite}.get(vendor)
    if statements is None:
        raise RuntimeError(f"No append-only trigger for the {vendor} database.")
    for statement in statements:
        schema_editor.execute(statement, params=None)


def forward(apps, schema_editor):
    _run(schema_editor, POSTGRES_FORWARD, SQLITE_FORWARD)


def backward(apps, schema_editor):
    _run(schema_editor, POSTGRES_BACKWARD, SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("clinic", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
