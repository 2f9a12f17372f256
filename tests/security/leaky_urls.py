"""The project's URLs plus two views that forget the clinic, for tests/security/test_clinic_scoping.py."""

from django.http import HttpResponse
from django.urls import path

from clients.models import Client
from clinic.scoping import across_clinics
from clinic.urls import urlpatterns as project_urlpatterns


def client_by_id_only(request, pk):
    # The mistake the guard is for: any clinic's client, found by a guessed id.
    return HttpResponse(Client.objects.get(pk=pk).full_name)


def clients_of_every_clinic(request):
    with across_clinics():
        return HttpResponse(str(Client.objects.count()))


urlpatterns = [
    path("leaky/client/<int:pk>/", client_by_id_only),
    path("leaky/every-clinic/", clients_of_every_clinic),
    *project_urlpatterns,
]
