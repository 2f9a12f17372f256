# The month calendar counts and ranks each day's hearings by their day in their own zone
# (cases.models.hearing_local_day): this index holds that day, in the order a day lists its
# hearings, with what the count needs, so a month of the clinic's hearings is read from it alone.

from django.db import migrations, models
from django.db.models.functions import Cast, NullIf


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_court_verbose_name"),
    ]

    operations = [
        migrations.AddIndex(
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
