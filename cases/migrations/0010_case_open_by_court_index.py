from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0009_hearing_by_local_day"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("status", "closed"), _negated=True),
                fields=["clinic", "court", "-opened_on", "-sequence"],
                include=("id",),
                name="cases_case_open_by_court",
            ),
        ),
    ]
