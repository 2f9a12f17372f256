"""What every page pays before its own work: one query for the signed-in person, and addresses of
records on long lists built without a reverse() per row."""

from django.urls import reverse, set_script_prefix

from clinic.urls_fast import record_url


def test_a_page_reads_the_user_membership_and_clinic_in_one_query(as_user, staff, django_assert_num_queries):
    client = as_user(staff["intake"])
    client.get(reverse("clients:client-list"))  # the first request also records the session's activity
    with django_assert_num_queries(2) as captured:  # the person, and the page of clients
        response = client.get(reverse("clients:client-list"))
    assert response.status_code == 200
    person = captured.captured_queries[0]["sql"]
    for table in ("clinic_user", "clinic_membership", "clinic_clinic"):
        assert table in person
    assert response.wsgi_request.membership.clinic == staff["intake"].membership.clinic


def test_a_deactivated_account_is_signed_out_on_its_next_request(as_user, staff):
    client = as_user(staff["attorney"])
    staff["attorney"].is_active = False
    staff["attorney"].save()
    response = client.get(reverse("clients:client-list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_record_addresses_are_the_ones_reverse_gives():
    for view_name in ("clients:client-detail", "cases:case-detail"):
        for pk in (1, 42, 918273):
            assert record_url(view_name, pk) == reverse(view_name, args=[pk])
    for client_pk, member_pk in ((1, 2), (42, 42), (7, 918273)):
        assert record_url("clients:family-edit", client_pk, member_pk) == reverse(
            "clients:family-edit", args=[client_pk, member_pk]
        )


def test_record_addresses_keep_the_sites_prefix():
    set_script_prefix("/amparo/")
    try:
        assert record_url("cases:case-detail", 7) == "/amparo/cases/7/" == reverse("cases:case-detail", args=[7])
    finally:
        set_script_prefix("/")
