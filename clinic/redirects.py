"""Where a redirect may go: a path of this site (a posted `next`, a notification's link), or back
to a list with the filters a form posted with it (the `query` field of the dashboard's "Count
again now" and of the case list's reassign form)."""

from django.http import QueryDict
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

# Django refuses to redirect to an address over 2,048 characters (a 400): a longer query is not
# a page's own filters, so the list is shown without it.
MAX_QUERY_LENGTH = 1800
MAX_PATH_LENGTH = 2000


def same_site_path(url: str) -> str | None:
    """`url` if it is a path of this site ("/cases/12/?tab=deadlines") that can go in a Location
    header, else None: never another site, a bare word redirect() would take for a URL name, a
    control character, or an address too long to redirect to."""
    url = (url or "").strip()
    if not url.startswith("/") or url.startswith("//") or "\\" in url:
        return None
    if len(url) > MAX_PATH_LENGTH or not url.isprintable():
        return None
    if not url_has_allowed_host_and_scheme(url, allowed_hosts=set(), require_https=False):
        return None
    return url


def list_url(name: str, posted_query: str) -> str:
    """The address of the list `name` with `posted_query`, parsed and encoded again, so nothing
    but a query string gets through (never a whole address, nor a header)."""
    query = QueryDict(posted_query[:2000]).urlencode()
    return reverse(name) + (f"?{query}" if query and len(query) <= MAX_QUERY_LENGTH else "")
