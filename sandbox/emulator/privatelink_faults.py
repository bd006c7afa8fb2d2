"""Fault injection for the emulator: make chosen AWS API calls fail, to test what a failure half-way does.

A WSGI layer in front of moto's server. Faults are armed over HTTP on the emulator itself:

    POST   /_privatelink/faults  {"action": "CreateVpcEndpoint", "times": 1,
                                  "params": {"IpAddressType": "ipv4"}}    -> 201, the fault
    GET    /_privatelink/faults                                            -> 200, armed faults
    DELETE /_privatelink/faults                                            -> 200, none left

`action` is the API action (query protocol `Action=` as EC2 and ELBv2 send it, or the
operation of a JSON protocol's `X-Amz-Target`); `times` (default 1) is how many matching calls
fail before the fault is spent; `params` (optional) are request parameters that must all be
equal for a call to match. A matching call is answered with HTTP 400 and the error code
`InjectedFault` (a client error, so SDKs do not retry it), and never reaches moto: nothing is
created. Faults live in memory; a restarted emulator has none.
"""

from __future__ import annotations

import io
import json
import threading
import uuid
from typing import Any, Callable, Iterable
from urllib.parse import parse_qs

FAULTS_PATH = "/_privatelink/faults"
ERROR_CODE = "InjectedFault"

_Environ = dict[str, Any]
_StartResponse = Callable[..., Any]


class FaultInjector:
    """WSGI middleware: answers FAULTS_PATH itself, fails armed calls, passes the rest to `app`."""

    def __init__(self, app: Callable[[_Environ, _StartResponse], Iterable[bytes]]):
        self.app = app
        self.lock = threading.Lock()
        self.faults: list[dict[str, Any]] = []

    def __call__(self, environ: _Environ, start_response: _StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == FAULTS_PATH:
            return self._control(environ, start_response)
        with self.lock:
            armed = bool(self.faults)
        if not armed:
            return self.app(environ, start_response)
        body = _read_body(environ)
        action, params = _call_of(environ, body)
        fault = self._take(action, params) if action else None
        if fault is None:
            return self.app(environ, start_response)
        return _error(environ, start_response, action, fault)

    def _take(self, action: str, params: dict[str, str]) -> dict[str, Any] | None:
        """The first armed fault this call matches, one use of it spent."""
        with self.lock:
            for fault in self.faults:
                if fault["action"] == action and all(params.get(k) == v for k, v in fault["params"].items()):
                    fault["times"] -= 1
                    if fault["times"] == 0:
                        self.faults.remove(fault)
                    return dict(fault)
        return None

    def _control(self, environ: _Environ, start_response: _StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        if method == "POST":
            try:
                fault = _parse_fault(json.loads(_read_body(environ) or b"{}"))
            except ValueError as e:
                return _json(start_response, "400 Bad Request", {"error": str(e)})
            with self.lock:
                self.faults.append(fault)
            return _json(start_response, "201 Created", fault)
        if method == "GET":
            with self.lock:
                return _json(start_response, "200 OK", {"faults": list(self.faults)})
        if method == "DELETE":
            with self.lock:
                self.faults.clear()
            return _json(start_response, "200 OK", {"faults": []})
        return _json(start_response, "405 Method Not Allowed", {"error": f"{method} {FAULTS_PATH}: use POST, GET or DELETE"})


def _parse_fault(data: Any) -> dict[str, Any]:
    """A fault from its JSON, or a ValueError naming every bad field."""
    if not isinstance(data, dict):
        raise ValueError(f"expected a JSON object such as {{\"action\": \"CreateVpcEndpoint\", \"times\": 1}}, got {data!r}")
    problems = []
    action, times, params = data.get("action"), data.get("times", 1), data.get("params", {})
    if not isinstance(action, str) or not action:
        problems.append(f"action: expected an API action name such as CreateVpcEndpoint, got {action!r}")
    if not isinstance(times, int) or isinstance(times, bool) or times < 1:
        problems.append(f"times: expected a whole number of at least 1, got {times!r}")
    if not isinstance(params, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in params.items()):
        problems.append(f"params: expected an object of request parameter names to string values, got {params!r}")
    unknown = sorted(set(data) - {"action", "times", "params"})
    if unknown:
        problems.append(f"unknown field(s) {', '.join(unknown)}: expected action, times and params")
    if problems:
        raise ValueError("; ".join(problems))
    return {"action": action, "times": times, "params": params}


def _read_body(environ: _Environ) -> bytes:
    """The request body, put back so that the application reads it again."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    body = environ["wsgi.input"].read(length) if length > 0 else b""
    environ["wsgi.input"] = io.BytesIO(body)
    return body


def _call_of(environ: _Environ, body: bytes) -> tuple[str | None, dict[str, str]]:
    """The API action of a request and its parameters (query protocol), or the JSON protocol's operation."""
    target = environ.get("HTTP_X_AMZ_TARGET")
    if target:
        try:
            payload = json.loads(body or b"{}")
        except ValueError:
            payload = {}
        params = {k: v for k, v in payload.items() if isinstance(v, str)} if isinstance(payload, dict) else {}
        return target.rsplit(".", 1)[-1], params
    params = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
    if "x-www-form-urlencoded" in environ.get("CONTENT_TYPE", ""):
        params.update({k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()})
    return params.get("Action"), params


def _service_of(environ: _Environ) -> str:
    """The signing service of a request, from its SigV4 credential scope."""
    auth = environ.get("HTTP_AUTHORIZATION", "")
    scope = auth.split("Credential=", 1)[-1].split(",", 1)[0].split("/")
    return scope[3] if len(scope) > 3 else ""


def _error(environ: _Environ, start_response: _StartResponse, action: str, fault: dict[str, Any]) -> Iterable[bytes]:
    message = f"the emulator failed {action} on purpose: a fault armed through {FAULTS_PATH} ({fault['times']} more left)"
    request_id = str(uuid.uuid4())
    if environ.get("HTTP_X_AMZ_TARGET"):
        body = json.dumps({"__type": ERROR_CODE, "message": message}).encode()
        content_type = "application/x-amz-json-1.1"
    elif _service_of(environ) == "ec2":
        body = f"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>{ERROR_CODE}</Code><Message>{message}</Message></Error></Errors><RequestID>{request_id}</RequestID></Response>".encode()
        content_type = "text/xml"
    else:
        body = f"<ErrorResponse><Error><Type>Sender</Type><Code>{ERROR_CODE}</Code><Message>{message}</Message></Error><RequestId>{request_id}</RequestId></ErrorResponse>".encode()
        content_type = "text/xml"
    start_response("400 Bad Request", [("Content-Type", content_type), ("Content-Length", str(len(body))), ("x-amzn-RequestId", request_id)])
    return [body]


def _json(start_response: _StartResponse, status: str, value: Any) -> Iterable[bytes]:
    body = json.dumps(value).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
