"""Back to a list with the filters a form posted with it (the `query` field of the dashboard's
"Count again now" and of the case list's reassign form)."""

from django.http import QueryDict
from django.urls import reverse

# Django refuses to redirect to an address over 2,048 characters (a 400): a longer query is not
# a page's own filters, so the list is shown without it.
MAX_QUERY_LENGTH = 1800


def list_url(name: str, posted_query: str) -> str:
    """The address of the list `name` with `posted_query`, parsed and encoded again, so nothing
    but a query string gets through (never a whole address, nor a header)."""
    query = QueryDict(posted_query[:2000]).urlencode()
    return reverse(name) + (f"?{query}" if query and len(query) <= MAX_QUERY_LENGTH else "")
