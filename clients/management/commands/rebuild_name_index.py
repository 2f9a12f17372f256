from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from clients import name_index
from clients.models import AdverseParty, Client, ClientAlias, FamilyMember, PersonName, WalkIn
from clinic.models import Clinic

BATCH = 2000


class Command(BaseCommand):
    help = (
        "Writes the search index of names (client search, conflict check) again from the records, for "
        "one clinic or all. Needed after the rules of clients/names.py change (a new nickname, say)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--clinic", help="The clinic's slug; all clinics if not given.")

    def handle(self, *args, clinic=None, **options):
        clinics = Clinic.objects.filter(slug=clinic) if clinic else Clinic.objects.all()
        if clinic and not clinics.exists():
            raise CommandError(f"No clinic has the slug {clinic!r}.")
        for one in clinics:
            count = self._rebuild(one)
            self.stdout.write(f"{one.name}: {count} names indexed.")

    @transaction.atomic
    def _rebuild(self, clinic: Clinic) -> int:
        PersonName.objects.filter(clinic=clinic).delete()
        sources = [
            Client.objects.filter(clinic=clinic),
            WalkIn.objects.filter(clinic=clinic),
            ClientAlias.objects.filter(client__clinic=clinic).select_related("client"),
            FamilyMember.objects.filter(client__clinic=clinic).select_related("client"),
            AdverseParty.objects.filter(client__clinic=clinic).select_related("client"),
        ]
        count = 0
        for queryset in sources:
            batch = []
            for record in queryset.iterator(chunk_size=BATCH):
                batch.append(record)
                if len(batch) == BATCH:
                    name_index.bulk_index(batch)
                    count, batch = count + len(batch), []
            name_index.bulk_index(batch)
            count += len(batch)
        return count
