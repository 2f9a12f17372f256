from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("clients", "0006_fill_token_search_client")]

    operations = [
        migrations.AddIndex(
            model_name="personnametoken",
            index=models.Index(
                condition=models.Q(("search_client__isnull", False)),
                fields=["clinic", "token"],
                include=("search_client", "client_sort_name"),
                name="clients_token_client_search",
                opclasses=["int8_ops", "varchar_pattern_ops"],
            ),
        ),
    ]
