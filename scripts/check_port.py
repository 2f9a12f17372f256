"""Exit with a clear message when the port `make run` wants is taken (instead of a traceback later)."""

import socket
import sys


def main() -> int:
    port = int(sys.argv[1])
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            sys.stderr.write(
                f"Port {port} on 127.0.0.1 is already in use (another `make run`?).\n"
                f"Stop that program, or choose another port: make run PORT={port + 1}\n"
            )
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
