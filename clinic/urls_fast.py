"""Addresses of records on long lists, without a reverse() per row."""

from functools import lru_cache

from django.urls import get_script_prefix, reverse

# Stands for the record's id in an address reversed once; no real id is this long.
_PK_MARKER = "918273645546372819"


def record_url(view_name: str, pk: int) -> str:
    """reverse(view_name, args=[pk]), for a view whose only argument is an id. Django's reverse()
    costs about 0.1 ms; a list of 50 rows paid it 50 times (benchmarks/bench.py)."""
    return _url_pattern(view_name, get_script_prefix()).replace(_PK_MARKER, str(pk))


@lru_cache(maxsize=64)
def _url_pattern(view_name: str, script_prefix: str) -> str:
    """The address with the marker for its id, once per process and script prefix (the prefix is
    part of the address, so it keys the cache)."""
    return reverse(view_name, args=[int(_PK_MARKER)])
