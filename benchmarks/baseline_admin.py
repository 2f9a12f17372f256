"""The baseline of `make bench`: Django's own admin change list of clients and of cases, on the
same data, in the same process.

The product does not register clients or cases in its admin (the platform admin must not read a
clinic's confidential records), so the benchmark mounts a plain admin site of its own, under its
own URL conf, with the columns and ordering of the product's lists. It is what a team would get
from Django with no work of its own: a page of 100 rows, a full count, list_select_related.
"""

from django.contrib import admin
from django.urls import include, path

from cases.models import Case
from clients.models import Client

site = admin.AdminSite(name="bench_admin")


@admin.register(Client, site=site)
class ClientAdmin(admin.ModelAdmin):
    list_display = ("sort_name", "country_of_nationality", "a_number", "date_of_birth", "phone")
    ordering = ("sort_name", "pk")
    search_fields = ("paternal_surname", "given_names", "a_number")


@admin.register(Case, site=site)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("number", "client", "process", "status", "court", "opened_on")
    list_select_related = ("client", "court")
    list_filter = ("status", "process")
    ordering = ("-opened_on", "pk")


urlpatterns = [
    path("bench-admin/", site.urls),
    path("", include("clinic.urls")),
]
