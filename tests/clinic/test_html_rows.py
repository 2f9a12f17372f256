"""The rows of long lists are written in Python (clinic.html_rows), not by the template language,
so their escaping is tested here and on the lists themselves."""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from cases import services as case_services
from cases.models import Case
from clients import services as client_services
from clinic.html_rows import fill, join_rows

HOSTILE = """<script>alert("x")</script> & 'Ana'"""


def test_fill_escapes_text_as_format_html_does_and_keeps_safe_html():
    row = '<td title="{name}">{name}</td><td>{badge}</td>'
    badge = format_html("<b>{}</b>", "Detained")
    filled = fill(row, {"name": HOSTILE, "badge": badge})
    assert filled == format_html(row, name=HOSTILE, badge=badge)
    assert "<script>" not in filled
    assert isinstance(filled, SafeString)


def test_a_filled_cell_goes_into_a_row_unescaped_once_and_rows_join_as_safe_html():
    cell = fill("<i>{text}</i>", {"text": "<b>"})
    rows = join_rows(fill("<tr>{cell}</tr>", {"cell": cell}) for _ in range(2))
    assert rows == "<tr><i>&lt;b&gt;</i></tr>\n<tr><i>&lt;b&gt;</i></tr>"
    assert isinstance(rows, SafeString)


def test_a_hostile_name_shows_as_text_on_the_client_list_and_the_case_list(as_user, intake_user, attorney):
    client = client_services.client_create(actor=intake_user, data={"given_names": HOSTILE, "paternal_surname": "Z"})
    case_services.case_open(
        actor=attorney, client=client, data={"process": Case.Process.AFFIRMATIVE}, lead_attorney=attorney
    )
    for user, url in ((intake_user, "clients:client-list"), (attorney, "cases:case-list")):
        listed = as_user(user).get(reverse(url)).content.decode()
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;Ana&#x27; Z" in listed, url
        assert "<script>alert" not in listed, url
