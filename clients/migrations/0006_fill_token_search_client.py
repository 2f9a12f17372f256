"""Fills the new word columns from the index rows already there; its own migration (and
transaction) so that the deferred foreign-key checks it queues are done before 0007 builds the index."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill_search_client(apps, schema_editor):
    """The words of clients' own names and aliases point to the client and carry its sort name."""
    PersonName = apps.get_model("clients", "PersonName")
    PersonNameToken = apps.get_model("clients", "PersonNameToken")
    owner = PersonName.objects.filter(pk=OuterRef("person_name_id"), kind__in=["client", "alias"])
    PersonNameToken.objects.update(search_client_id=Subquery(owner.values("client_id")[:1]))
    sort_name = owner.values("client__sort_name")[:1]
    PersonNameToken.objects.filter(search_client__isnull=False).update(client_sort_name=Subquery(sort_name))


class Migration(migrations.Migration):
    dependencies = [("clients", "0005_token_search_client")]

    operations = [migrations.RunPython(fill_search_client, migrations.RunPython.noop)]
