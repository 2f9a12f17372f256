"""Addresses of records on long lists and in per-row links, without a reverse() per row."""

from functools import lru_cache

from django.urls import get_script_prefix, reverse

# Each stands for one id in an address reversed once; no real id is this long.
_MARKERS = tuple(str(918273645546372810 + position) for position in range(3))


def record_url(view_name: str, *pks: int) -> str:
    """reverse(view_name, args=pks), for a view whose arguments are ids (up to three). Django's
    reverse() costs about 0.1 ms; a list of 50 rows paid it 50 times (benchmarks/bench.py)."""
    url = _url_pattern(view_name, len(pks), get_script_prefix())
    for marker, pk in zip(_MARKERS, pks, strict=False):
        url = url.replace(marker, str(int(pk)), 1)
    return url


@lru_cache(maxsize=256)
def _url_pattern(view_name: str, arguments: int, script_prefix: str) -> str:
    """The address with a marker for each id, once per process and script prefix (the prefix is
    part of the address, so it keys the cache)."""
    return reverse(view_name, args=[int(marker) for marker in _MARKERS[:arguments]])
