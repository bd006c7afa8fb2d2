"""Snapshots of the emulator's whole state, so that an applied setup is built once and reused.

A WSGI layer in front of moto's server, controlled over HTTP on the emulator itself:

    POST /_privatelink/snapshot  {"file": "/abs/path"}  -> 200, what was saved
    POST /_privatelink/restore   {"file": "/abs/path"}  -> 200, what was loaded

A snapshot pickles every moto backend in use (every service, account and region that has
been called) into `file`. Restoring it into a freshly started emulator replaces those backends'
contents, so the restored emulator answers as the saved one did: the same VPCs, load balancers,
endpoint services and endpoints, under the same ids. Take a snapshot while no call is under way;
only an emulator started from the same moto version and patches can load it. Services that hold
only moto's built-in data (RECREATED_BY_MOTO) are left out when they cannot be pickled.
"""

from __future__ import annotations

import copyreg
import importlib
import io
import json
import os
import pickle
import sys
import threading
from typing import Any, Callable, Iterable

from privatelink_faults import _json, _read_body

SNAPSHOT_PATH = "/_privatelink/snapshot"
RESTORE_PATH = "/_privatelink/restore"

_Environ = dict[str, Any]
_StartResponse = Callable[..., Any]


def _backend_dicts() -> dict[str, Any]:
    """Every moto BackendDict in use, by "<module>:<attribute>", the name it is found by again.

    A BackendDict is named after the module of its backend class (moto.ec2.models:ec2_backends),
    where moto defines it, whatever other modules import it too.
    """
    from moto.core.base_backend import BackendDict

    found: dict[str, Any] = {}
    for backends in {id(b): b for b in BackendDict._instances}.values():
        module_name = backends.backend.__module__
        module = sys.modules.get(module_name) or importlib.import_module(module_name)
        attr = next((k for k, v in vars(module).items() if v is backends), None)
        if attr is None:
            raise TypeError(f"the backends of {backends.service_name} are not a variable of {module_name}")
        found[f"{module_name}:{attr}"] = backends
    return found


def _new_lock(kind: Callable[[], Any]) -> Any:
    return kind()


# Some backends hold locks; a lock is saved as a fresh, unlocked one of its kind (a snapshot is
# taken while no call is under way, so none is held).
_LOCKS = copyreg.dispatch_table.copy()
for _kind in (threading.Lock, threading.RLock):
    _LOCKS[type(_kind())] = lambda _lock, kind=_kind: (_new_lock, (kind,))


def _dumps(value: Any) -> bytes:
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _LOCKS
    pickler.dump(value)
    return out.getvalue()


# Services whose backends may be left out of a snapshot when they cannot be pickled: they hold
# only what moto builds in by itself (SSM: the public parameters, such as the latest AMI ids,
# which the sandbox reads and never writes), so a fresh emulator answers the same.
RECREATED_BY_MOTO = {"ssm"}


def save(file: str) -> dict[str, Any]:
    """Pickles the contents of every backend in use into `file`, each service on its own."""
    from moto.core.base_backend import backend_lock

    parts: dict[str, bytes] = {}
    skipped: list[str] = []
    with backend_lock:
        for key, backends in _backend_dicts().items():
            try:
                parts[key] = _dumps({account: dict(regions) for account, regions in backends.items()})
            except (pickle.PickleError, AttributeError, TypeError) as e:
                if backends.service_name not in RECREATED_BY_MOTO:
                    raise TypeError(f"{key} cannot be saved: {e}") from e
                skipped.append(key)
    data = pickle.dumps(parts, protocol=pickle.HIGHEST_PROTOCOL)
    tmp = f"{file}.tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, file)
    return {"file": file, "bytes": len(data), "backends": sorted(parts), "recreated": sorted(skipped)}


def load(file: str) -> dict[str, Any]:
    """Replaces the contents of the backends saved in `file` with what was saved."""
    from moto.core.base_backend import backend_lock

    with open(file, "rb") as f:
        parts = pickle.load(f)
    with backend_lock:
        for key, part in parts.items():
            accounts = pickle.loads(part)
            module, attr = key.split(":", 1)
            backends = getattr(importlib.import_module(module), attr)
            for account, regions in accounts.items():
                account_backends = backends[account]
                dict.clear(account_backends)
                dict.update(account_backends, regions)
    return {"file": file, "backends": sorted(parts)}


class Snapshotter:
    """WSGI middleware: answers SNAPSHOT_PATH and RESTORE_PATH itself, passes the rest to `app`."""

    def __init__(self, app: Callable[[_Environ, _StartResponse], Iterable[bytes]]):
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ: _Environ, start_response: _StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO")
        if path not in (SNAPSHOT_PATH, RESTORE_PATH):
            return self.app(environ, start_response)
        if environ.get("REQUEST_METHOD") != "POST":
            return _json(start_response, "405 Method Not Allowed", {"error": f"{environ.get('REQUEST_METHOD')} {path}: use POST"})
        try:
            data = json.loads(_read_body(environ) or b"{}")
        except ValueError as e:
            return _json(start_response, "400 Bad Request", {"error": f"the body is not JSON: {e}"})
        file = data.get("file") if isinstance(data, dict) else None
        if not isinstance(file, str) or not os.path.isabs(file):
            return _json(start_response, "400 Bad Request", {"error": f"file: expected an absolute path, got {file!r}"})
        try:
            with self.lock:
                result = save(file) if path == SNAPSHOT_PATH else load(file)
        except (OSError, pickle.PickleError, AttributeError, TypeError) as e:
            return _json(start_response, "500 Internal Server Error", {"error": f"{path}: {type(e).__name__}: {e}"})
        return _json(start_response, "200 OK", result)
