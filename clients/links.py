"""Links into the clients app that other pages build (the supervisor dashboard's walk-in chart).
Pure: no database, no request."""

from datetime import date, timedelta
from urllib.parse import urlencode

from clinic.urls_fast import record_url


def walk_in_list_url(*, first: date, last: date, status: str = "") -> str:
    """The walk-in list for the days first..last (both included) and one status key ("" for all,
    "open" for the still-open statuses). One whole Monday-to-Sunday week is written as week=;
    any other span, such as a chart that starts mid-week, as date_from= and date_to=."""
    if first.weekday() == 0 and last == first + timedelta(days=6):
        params = {"week": first.isoformat()}
    else:
        params = {"date_from": first.isoformat(), "date_to": last.isoformat()}
    if status:
        params["status"] = status
    return f"{record_url('clients:walk-in-list')}?{urlencode(params)}"
