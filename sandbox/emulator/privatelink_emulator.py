#!/usr/bin/env python3
"""Local AWS emulator for the PrivateLink sandbox: moto's server with the PrivateLink patches.

    python3 sandbox/emulator/privatelink_emulator.py --port 4566 [--host 127.0.0.1] [--pid-file F]

Runs in the foreground, prints `emulator ready on http://<host>:<port>` once it answers
requests, and exits cleanly on SIGTERM or SIGINT. Only loopback addresses are accepted.
POST /_privatelink/faults makes chosen API calls fail (privatelink_faults.py says how);
POST /_privatelink/snapshot and /_privatelink/restore save and load its whole state
(privatelink_snapshot.py); POST /_privatelink/call makes an AWS API call on the caller's behalf
(privatelink_calls.py).
Needs Python 3 with moto 5.2.1: pip install "moto[server]==5.2.1"
"""

from __future__ import annotations

import argparse
import ipaddress
import logging
import os
import signal
import sys
import threading
import urllib.error
import urllib.request
from typing import Any

INSTALL_HINT = 'pip install "moto[server]==5.2.1"'


def loopback_host(host: str) -> str:
    """The host if it is a loopback address (or `localhost`), else an error."""
    if host == "localhost":
        return "127.0.0.1"
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        raise SystemExit(f"--host must be a loopback address such as 127.0.0.1, got {host!r}")
    if not address.is_loopback:
        raise SystemExit(f"--host must be a loopback address such as 127.0.0.1 or ::1, got {host!r}: the emulator never listens beyond this machine")
    return str(address)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="moto server with the PrivateLink patches, on loopback only")
    parser.add_argument("--port", type=int, required=True, help="TCP port (0 picks a free one)")
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to listen on (default 127.0.0.1)")
    parser.add_argument("--pid-file", help="write the process id to this file while running")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    if not 0 <= args.port <= 65535:
        parser.error(f"--port must be between 0 and 65535, got {args.port}")
    args.host = loopback_host(args.host)
    return args


def url_of(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def wait_until_answering(url: str, timeout: float = 30.0) -> None:
    """Returns once the server answers an HTTP request."""
    import time

    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/moto-api/", timeout=2):
                return
        except urllib.error.HTTPError:
            return  # an HTTP answer, whatever its status
        except Exception as e:  # noqa: BLE001 - not listening yet
            last = e
            time.sleep(0.05)
    raise RuntimeError(f"the emulator did not answer on {url} within {timeout:.0f}s: {last}")


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    try:
        from werkzeug.serving import make_server

        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    except ImportError as e:
        print(f"moto's server is not installed ({e}): {INSTALL_HINT}", file=sys.stderr)
        return 2

    # The patches live beside this file; no __pycache__ is left in the source tree.
    sys.dont_write_bytecode = True
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import privatelink_patches
    from privatelink_calls import CallRunner
    from privatelink_faults import FaultInjector
    from privatelink_snapshot import Snapshotter

    try:
        applied = privatelink_patches.apply_all()
    except RuntimeError as e:
        print(str(e), file=sys.stderr)
        return 2

    if not args.verbose:
        logging.getLogger("werkzeug").setLevel(logging.ERROR)

    app = CallRunner(Snapshotter(FaultInjector(DomainDispatcherApplication(create_backend_app))))
    try:
        server = make_server(args.host, args.port, app, threaded=True)
    except OSError as e:
        print(f"cannot listen on {url_of(args.host, args.port)}: {e}", file=sys.stderr)
        return 1
    port = server.socket.getsockname()[1]
    url = url_of(args.host, port)

    stop = threading.Event()

    def on_signal(signum: int, _frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    thread = threading.Thread(target=server.serve_forever, name="moto-server", daemon=True)
    thread.start()
    if args.pid_file:
        with open(args.pid_file, "w") as f:
            f.write(f"{os.getpid()}\n")
    try:
        wait_until_answering(url)
        if args.verbose:
            print(f"patches: {', '.join(applied)}", file=sys.stderr, flush=True)
        print(f"emulator ready on {url}", flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        if args.pid_file:
            try:
                os.remove(args.pid_file)
            except FileNotFoundError:
                pass
    print("emulator stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
