"""The evidence pages: who may see and change them, the matrix and its gaps, the exhibit list
(order, letters, pages) and the index PDF filed with the court."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from cases import evidence_services
from cases.models import Evidence, HarmIncident
from clients.models import Client
from clinic.models import AuditEvent, Membership
from tests.cases import evidence_files as files
from tests.factories import staff_member

DASH = "\N{EN DASH}"

Role = Membership.Role
DETAILS = {"category": "declaration", "language": "es", "translation": "needed"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def add_document(case, actor, name="declaration.pdf", content=None, links=(), **details) -> Evidence:
    content = files.pdf_bytes() if content is None else content
    (evidence,) = evidence_services.evidence_upload(
        actor=actor, case=case, files=[files.upload(name, content)], data={**DETAILS, **details}, links=links
    )
    return evidence


def make_exhibit(evidence: Evidence, actor) -> None:
    evidence_services.exhibit_change(actor=actor, evidence=evidence, action="add")


def url(name: str, case, evidence=None) -> str:
    return reverse(f"cases:{name}", args=[case.pk] if evidence is None else [case.pk, evidence.pk])


# Who may do what: every view, every role, and another clinic's staff.

# (url name, method, needs an evidence id, changes something)
VIEWS = [
    ("evidence", "get", False, False),
    ("evidence-matrix", "get", False, False),
    ("exhibits", "get", False, False),
    ("exhibit-index", "get", False, False),
    ("evidence-download", "get", True, False),
    ("evidence-edit", "get", True, True),
    ("evidence-edit", "post", True, True),
    ("evidence-delete", "post", True, True),
    ("evidence-upload", "post", False, True),
    ("exhibit-change", "post", True, True),
]
# persona -> (status of a read, status of a change); None means the view's own success.
PERSONAS = {
    "lead attorney": (None, None),
    "supervisor": (None, None),
    "attorney not on the case": (404, 404),
    "attorney not on the case, clinic lets attorneys read all": (None, 403),
    "intake staff": (403, 403),
    "clinic admin": (403, 403),
    "other clinic's attorney": (404, 404),
    "other clinic's supervisor": (404, 404),
    "other clinic's intake staff": (404, 404),
    # Refused for the role before any case is looked up: says nothing about this clinic's cases.
    "other clinic's admin": (403, 403),
}


@pytest.fixture
def persona(request, staff, outsiders, clinic):
    name = request.param
    if name.startswith("attorney not on the case"):
        clinic.attorneys_read_all_cases = "read all" in name
        clinic.save(update_fields=["attorneys_read_all_cases"])
        return staff_member(clinic, Role.ATTORNEY, username="la-attorney-2")
    by_name = {
        "lead attorney": staff[Role.ATTORNEY],
        "supervisor": staff[Role.SUPERVISOR],
        "intake staff": staff[Role.INTAKE],
        "clinic admin": staff[Role.CLINIC_ADMIN],
        "other clinic's attorney": outsiders[Role.ATTORNEY],
        "other clinic's supervisor": outsiders[Role.SUPERVISOR],
        "other clinic's intake staff": outsiders[Role.INTAKE],
        "other clinic's admin": outsiders[Role.CLINIC_ADMIN],
    }
    return by_name[name]


def _request(client, view, case, evidence):
    name, method, with_evidence, _write = view
    target = url(name, case, evidence if with_evidence else None)
    if method == "get":
        return client.get(target)
    data = {
        "evidence-edit": {**DETAILS, "title": "Declaration, amended"},
        "evidence-upload": {**DETAILS, "files": [files.upload("passport.pdf", files.pdf_bytes())]},
        "exhibit-change": {"action": "remove"},
    }.get(name, {})
    return client.post(target, data)


@pytest.mark.parametrize("persona", list(PERSONAS), indirect=True)
@pytest.mark.parametrize("view", VIEWS, ids=[f"{name}-{method}" for name, method, *_rest in VIEWS])
def test_it_lets_each_role_see_and_change_what_it_may(as_user, attorney, case, persona, view, request):
    evidence = add_document(case, attorney)
    make_exhibit(evidence, attorney)
    read, write = PERSONAS[request.node.callspec.params["persona"]]
    expected = write if view[3] else read
    response = _request(as_user(persona), view, case, evidence)
    if expected is None:
        assert response.status_code == (302 if view[1] == "post" else 200)
    else:
        assert response.status_code == expected


def test_it_answers_404_for_a_document_of_another_case(as_user, attorney, case, other_case, outsiders):
    foreign = add_document(other_case, outsiders[Role.ATTORNEY])
    client = as_user(attorney)
    assert client.get(url("evidence-download", case, foreign)).status_code == 404
    assert client.get(url("evidence-edit", case, foreign)).status_code == 404
    assert client.post(url("evidence-delete", case, foreign)).status_code == 404
    assert Evidence.objects.filter(pk=foreign.pk).exists()


def test_it_shows_a_read_only_attorney_no_upload_form_nor_buttons(as_user, attorney, case, clinic):
    make_exhibit(add_document(case, attorney), attorney)
    clinic.attorneys_read_all_cases = True
    clinic.save(update_fields=["attorneys_read_all_cases"])
    reader = as_user(staff_member(clinic, Role.ATTORNEY, username="la-reader"))
    listing = reader.get(url("evidence", case)).content.decode()
    assert "Upload documents" not in listing
    assert ">Edit<" not in listing
    exhibits = reader.get(url("exhibits", case)).content.decode()
    assert 'value="up"' not in exhibits
    assert "Download the index (PDF)" in exhibits


def test_it_lists_the_documents_with_what_they_support(as_user, attorney, case):
    incident = HarmIncident.objects.create(
        claim=case.claim, description="Threatened at the bakery", place="San Pedro Sula"
    )
    add_document(
        case,
        attorney,
        "medical.pdf",
        title="Medical record, Hospital Escuela",
        links=[("harm", incident.pk), ("identity", None)],
    )
    page = as_user(attorney).get(url("evidence", case)).content.decode()
    assert "Medical record, Hospital Escuela" in page
    assert "Past harm: date unknown, San Pedro Sula, Threatened at the bakery" in page
    assert "Identity and nationality" in page
    assert "Translation needed" in page


def test_it_edits_the_details_and_replaces_the_links(as_user, attorney, case):
    incident = HarmIncident.objects.create(claim=case.claim, description="Extortion")
    evidence = add_document(case, attorney, "notes.docx", files.docx_bytes(pages=None), links=[("identity", None)])
    client = as_user(attorney)
    assert client.get(url("evidence-edit", case, evidence)).status_code == 200
    data = {
        **DETAILS,
        "title": "Declaration of the respondent",
        "translation": "done",
        "translator_certificate": "on",
        "page_count": "7",
        "links": ["nexus", f"harm:{incident.pk}"],
    }
    response = client.post(url("evidence-edit", case, evidence), data)
    assert response.status_code == 302
    evidence.refresh_from_db()
    assert (evidence.title, evidence.translation, evidence.translator_certificate, evidence.page_count) == (
        "Declaration of the respondent",
        "done",
        True,
        7,
    )
    assert set(evidence.links.values_list("element", "incident_id")) == {("nexus", None), ("harm", incident.pk)}
    event = AuditEvent.objects.filter(action="update", object_type="cases.evidence").get()
    assert set(event.changes["fields"]) == {"title", "translation", "translator_certificate", "page_count", "links"}


def test_it_refuses_a_link_the_form_does_not_offer(as_user, attorney, case):
    evidence = add_document(case, attorney)
    response = as_user(attorney).post(
        url("evidence-edit", case, evidence), {**DETAILS, "title": "x", "links": ["harm:999999"]}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not evidence.links.exists()


# The matrix


@pytest.fixture
def psg_claim(case):
    claim = case.claim
    claim.ground_social_group = True
    claim.persecutor_type = "non_state"
    claim.one_year_status = "within"
    claim.save()
    return claim


def test_it_shows_each_element_with_its_evidence_and_every_gap_plainly(as_user, attorney, case, psg_claim):
    first = HarmIncident.objects.create(claim=psg_claim, description="Beaten by MS-13", place="Choloma")
    HarmIncident.objects.create(claim=psg_claim, description="Threat note at home", place="Choloma")
    exhibit = add_document(case, attorney, title="Passport", links=[("identity", None), ("harm", first.pk)])
    make_exhibit(exhibit, attorney)
    add_document(case, attorney, title="Expert report on gang recruitment", links=[("nexus", None)])
    page = as_user(attorney).get(url("evidence-matrix", case)).content.decode()
    # 11 elements: identity, 2 incidents, ground, 3 PSG, nexus, protection failure, future fear, relocation.
    assert "3 of 11 elements supported" in page
    assert "8 gaps" in page
    assert page.count("No evidence yet") == 8
    assert page.count("table-warning matrix-gap") == 8
    assert "Exhibit A" in page
    assert "Expert report on gang recruitment" in page
    assert "Social group: social distinction" in page
    # What the claim says beside the element: the ground chosen, who persecutes.
    assert "Membership in a particular social group" in page
    assert "Not the government (non-state actor)" in page
    # Filed within the year: no one-year row.
    assert "One-year deadline or its exception" not in page


def test_it_drops_the_protection_row_when_only_the_state_persecutes(as_user, attorney, case):
    case.claim.persecutor_type = "state"
    case.claim.save()
    page = as_user(attorney).get(url("evidence-matrix", case)).content.decode()
    assert "Government unable or unwilling to protect" not in page
    assert "One-year deadline or its exception" in page
    assert "No incident of past harm is recorded in the claim yet" in page


def _many_documents(case, attorney, count: int, incidents: int) -> None:
    ids = [HarmIncident.objects.create(claim=case.claim, description=f"Incident {n}").pk for n in range(incidents)]
    for n in range(count):
        links = [("identity", None), ("nexus", None)] + [("harm", pk) for pk in ids]
        make_exhibit(add_document(case, attorney, f"doc{n}.pdf", title=f"Document {n}", links=links), attorney)


# Every request: the user with membership and clinic (clinic.backends; the session comes from the
# cache); the case with its client and court; the team and the lead's user (case_page); whether the
# attorney is on the case (can_change).
PER_REQUEST = 5
LOOK = 2  # the audit event of the look: its clinic, the insert
MATRIX_QUERIES = PER_REQUEST + LOOK + 3  # claim, incidents, links with their evidence
# claim and incidents (upload form), documents, their links with incidents
LIST_QUERIES = PER_REQUEST + LOOK + 4
EXHIBITS_QUERIES = PER_REQUEST + LOOK + 1  # every document, exhibits first


@pytest.mark.parametrize(
    ("name", "queries"),
    [("evidence-matrix", MATRIX_QUERIES), ("evidence", LIST_QUERIES), ("exhibits", EXHIBITS_QUERIES)],
)
def test_it_reads_a_page_in_a_fixed_number_of_queries(
    as_user, attorney, case, name, queries, django_assert_num_queries
):
    client = as_user(attorney)
    # The first request of a session also records the activity time (clinic.middleware); not counted.
    client.get(url(name, case))
    _many_documents(case, attorney, count=1, incidents=1)
    with django_assert_num_queries(queries):
        assert client.get(url(name, case)).status_code == 200
    _many_documents(case, attorney, count=6, incidents=4)
    with django_assert_num_queries(queries):
        assert client.get(url(name, case)).status_code == 200


# The exhibit list


def exhibit_order(case) -> list[str]:
    return list(
        Evidence.objects.filter(case=case, exhibit_position__isnull=False)
        .order_by("exhibit_position")
        .values_list("title", flat=True)
    )


def change(client, case, evidence, action):
    return client.post(url("exhibit-change", case, evidence), {"action": action})


def test_it_orders_letters_and_paginates_the_exhibits(as_user, attorney, case):
    passport = add_document(case, attorney, title="Passport", content=files.pdf_bytes(3))
    police = add_document(case, attorney, title="Police report", content=files.pdf_bytes(2))
    photo = add_document(case, attorney, "wound.png", files.png_bytes(), title="Photo of the wound")
    letter = add_document(case, attorney, "letter.docx", files.docx_bytes(pages=None), title="Letter from the pastor")
    client = as_user(attorney)
    for evidence in (passport, police, photo):
        assert change(client, case, evidence, "add").status_code == 302
    page = client.get(url("exhibits", case)).content.decode()
    assert exhibit_order(case) == ["Passport", "Police report", "Photo of the wound"]
    assert f"pages 1{DASH}3" in page
    assert f"pages 4{DASH}5" in page
    assert "page 6" in page
    assert "Total: 6 pages." in page

    change(client, case, photo, "up")
    assert exhibit_order(case) == ["Passport", "Photo of the wound", "Police report"]
    change(client, case, passport, "up")  # already first: nothing moves
    change(client, case, passport, "remove")
    assert exhibit_order(case) == ["Photo of the wound", "Police report"]
    assert list(
        Evidence.objects.filter(case=case, exhibit_position__isnull=False)
        .order_by("exhibit_position")
        .values_list("exhibit_position", flat=True)
    ) == [1, 2]

    change(client, case, letter, "add")
    page = client.get(url("exhibits", case)).content.decode()
    assert 'id="exhibit-C"' in page
    assert "Total: at least 3 pages. The page count of exhibit(s) C is missing" in page
    updates = AuditEvent.objects.filter(action="update", summary__startswith="Exhibit list").count()
    assert updates == 6  # the move of the first one up changed nothing and was not recorded


def test_it_letters_past_z_as_aa_ab(as_user, attorney, case):
    Evidence.objects.bulk_create(
        Evidence(case=case, title=f"Article {n}", category="news", file=f"evidence/x/{n}", original_name=f"{n}.pdf",
                 content_type="application/pdf", size=1, sha256="0" * 64, page_count=1, exhibit_position=n, uploaded_by=attorney)
        for n in range(1, 29)
    )  # fmt: skip
    page = as_user(attorney).get(url("exhibits", case)).content.decode()
    assert all(f'id="exhibit-{letter}"' in page for letter in ("A", "Z", "AA", "AB"))
    assert "page 28" in page


def test_it_closes_up_the_list_when_an_exhibit_is_deleted(as_user, attorney, case):
    documents = [add_document(case, attorney, title=title) for title in ("One", "Two", "Three")]
    for evidence in documents:
        make_exhibit(evidence, attorney)
    as_user(attorney).post(url("evidence-delete", case, documents[0]))
    assert exhibit_order(case) == ["Two", "Three"]
    assert sorted(Evidence.objects.values_list("exhibit_position", flat=True)) == [1, 2]


def test_it_leaves_the_list_as_it_was_when_a_change_fails(attorney, case, monkeypatch):
    documents = [add_document(case, attorney, title=title) for title in ("One", "Two")]
    for evidence in documents:
        make_exhibit(evidence, attorney)

    def fail(*args, **kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(evidence_services, "audit_case", fail)
    with pytest.raises(RuntimeError):
        evidence_services.exhibit_change(actor=attorney, evidence=documents[1], action="up")
    assert exhibit_order(case) == ["One", "Two"]


def test_it_refuses_an_unknown_exhibit_action_with_a_message(as_user, attorney, case):
    evidence = add_document(case, attorney)
    response = as_user(attorney).post(url("exhibit-change", case, evidence), {"action": "shuffle"}, follow=True)
    assert "That change of the exhibit list is not known." in response.content.decode()
    assert exhibit_order(case) == []


# The index PDF


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_it_downloads_the_index_ready_to_file(as_user, attorney, case):
    Client.objects.filter(pk=case.client_id).update(a_number="012345678")
    for title, pages in (("Passport of the respondent", 3), ("Police report, 12 March 2024", 2)):
        make_exhibit(add_document(case, attorney, title=title, content=files.pdf_bytes(pages)), attorney)
    response = as_user(attorney).get(url("exhibit-index", case))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{case.number}-exhibit-index.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    text = pdf_text(response)
    for expected in (case.number, "Dallas Immigration Court (DAL)", "CASTAÑEDA RUELAS, Javier Armando", "A-012-345-678", "Index of exhibits",
                     "Passport of the respondent", "Police report, 12 March 2024", f"1{DASH}3", f"4{DASH}5", "Total: 5 pages.", "Page 1 of 1"):  # fmt: skip
        assert expected in text
    lines = text.splitlines()
    assert any(line.startswith("A ") or line == "A" for line in lines)
    assert any(line.startswith("B ") or line == "B" for line in lines)
    event = AuditEvent.objects.get(action="export")
    assert (event.object_label, event.summary) == (case.number, "Exhibit index exported (2 exhibits)")


def test_it_numbers_every_page_of_a_long_index_and_says_which_counts_are_missing(as_user, attorney, case):
    Evidence.objects.bulk_create(
        Evidence(case=case, title=f"Country conditions article {n}", category="country_conditions", file=f"evidence/x/{n}",
                 original_name=f"{n}.pdf", content_type="application/pdf", size=1, sha256="0" * 64,
                 page_count=None if n == 30 else 2, exhibit_position=n, uploaded_by=attorney)
        for n in range(1, 61)
    )  # fmt: skip
    response = as_user(attorney).get(url("exhibit-index", case))
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) >= 2
    last = reader.pages[-1].extract_text()
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in last
    assert "Total: at least 118 pages; the page count of exhibit(s) AD is missing." in last
    assert "BH" in last  # exhibit 60


def test_it_asks_for_exhibits_before_making_an_index(as_user, attorney, case):
    response = as_user(attorney).get(url("exhibit-index", case), follow=True)
    assert "Add documents to the exhibit list first." in response.content.decode()
    assert not AuditEvent.objects.filter(action="export").exists()


def test_it_names_the_asylum_office_of_an_affirmative_case(as_user, outsiders, other_case):
    other_case.asylum_office = "Houston Asylum Office"
    other_case.save(update_fields=["asylum_office"])
    owner = outsiders[Role.ATTORNEY]
    make_exhibit(add_document(other_case, owner, title="Declaration"), owner)
    text = pdf_text(as_user(owner).get(url("exhibit-index", other_case)))
    assert "Asylum office" in text
    assert "Houston Asylum Office" in text
    assert "Applicant" in text
    assert "PÁRAMO, Pedro" in text
