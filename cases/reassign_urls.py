from django.urls import path

from cases import reassign_views

urlpatterns = [
    path("cases/reassign/", reassign_views.cases_reassign_view, name="cases-reassign"),
    path("cases/<int:pk>/reassign/", reassign_views.case_reassign_view, name="case-reassign"),
]
