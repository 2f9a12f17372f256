# The month calendar counts and ranks each day's hearings by their day in their own zone
# (cases.models.hearing_local_day): this index holds that day, in the order a day lists its
# hearings, with what the count needs, so a month of the clinic's hearings is read from it alone.

from django.db import migrations, models
from django.db.models.functions import Cast, NullIf


class AddIndexOnPostgreSQL(migrations.AddIndex):
    """The index is PostgreSQL's: SQLite (`make run`'s embedded default) has no timezone() to index,
    and its few hearings need none. The model's state has the index either way."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_court_verbose_name"),
    ]

    operations = [
        AddIndexOnPostgreSQL(
            model_name="hearing",
            index=models.Index(
                Cast(
                    models.Func(
                        NullIf(models.F("time_zone"), models.Value("")),
                        models.F("starts_at"),
                        function="timezone",
                        output_field=models.DateTimeField(),
                    ),
                    models.DateField(),
                ),
                models.F("starts_at"),
                models.F("id"),
                include=("time_zone", "case"),
                name="cases_hearing_by_local_day",
            ),
        ),
    ]
