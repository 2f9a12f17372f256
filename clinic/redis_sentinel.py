"""Django's Redis cache through Redis Sentinel (clinic/settings/base.py, docs/deploy.md).

Django's RedisCache makes its connection pool with `pool_class.from_url(LOCATION, **OPTIONS)` and has
no Sentinel support of its own. This pool reads the sentinels from the same URL Celery takes
(sentinel://:password@host1:26379/0;sentinel://:password@host2:26379/0) and asks them for the current
master on every new connection, so the cache follows a failover as the broker does.
"""

from urllib.parse import urlsplit

from redis.sentinel import Sentinel, SentinelConnectionPool

SENTINEL_PORT = 26379


class SentinelPool(SentinelConnectionPool):
    @classmethod
    def from_url(cls, url: str, *, master_name: str, sentinel_kwargs: dict | None = None, **kwargs):
        nodes = [urlsplit(part) for part in url.split(";") if part.strip()]
        sentinels = Sentinel(
            [(node.hostname, node.port or SENTINEL_PORT) for node in nodes], sentinel_kwargs=sentinel_kwargs
        )
        # As kombu reads it: the password and database of the first address are the master's.
        first = nodes[0]
        database = int(first.path.strip("/") or 0)
        return cls(master_name, sentinels, password=first.password, username=first.username, db=database, **kwargs)
