"""AWS API calls made by the emulator on behalf of a caller, so that a check costs one HTTP request.

A WSGI layer in front of moto's server:

    POST /_privatelink/call  {"region": "us-west-2", "service": "ec2",
                              "operation": "describe_vpcs", "params": {...},
                              "roleArn": "arn:aws:iam::222222222222:role/admin"}
        -> 200 {"result": {...}}                                  the call's answer
        -> 200 {"error": {"code": "...", "message": "..."}}       the call's client error
        -> 400 {"error": "..."}                                   a request that is not a call

The call is made with boto3 (the SDK the AWS CLI uses) against this emulator itself, with the
emulator's test credentials, or with a session of `roleArn` when given (the emulator puts what a
role's session does in the role's account). A caller thus gets the answer an SDK call would get,
without starting a Python process and importing boto3 for every call. Clients are kept per
region, service and role.
"""

from __future__ import annotations

import json
import threading
from typing import Any, Callable, Iterable

from privatelink_faults import _Environ, _json, _read_body, _StartResponse

CALL_PATH = "/_privatelink/call"


class CallRunner:
    """WSGI middleware: answers CALL_PATH itself, passes the rest to `app`."""

    def __init__(self, app: Callable[[_Environ, _StartResponse], Iterable[bytes]]):
        self.app = app
        self.lock = threading.Lock()
        self.clients: dict[tuple[str, str, str, str], Any] = {}

    def __call__(self, environ: _Environ, start_response: _StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != CALL_PATH:
            return self.app(environ, start_response)
        if environ.get("REQUEST_METHOD") != "POST":
            return _json(start_response, "405 Method Not Allowed", {"error": f"{CALL_PATH} takes POST"})
        try:
            request = json.loads(_read_body(environ) or b"{}")
            for key in ("region", "service", "operation"):
                if not isinstance(request.get(key), str) or not request[key]:
                    raise ValueError(f'"{key}" must be a non-empty string, got {request.get(key)!r}')
            params = request.get("params") or {}
            if not isinstance(params, dict):
                raise ValueError(f'"params" must be an object, got {params!r}')
        except ValueError as e:
            return _json(start_response, "400 Bad Request", {"error": str(e)})
        endpoint = f"{environ.get('wsgi.url_scheme', 'http')}://{environ['HTTP_HOST']}"
        import botocore.exceptions

        try:
            client = self._client(endpoint, request["region"], request["service"], request.get("roleArn") or "")
            operation = getattr(client, request["operation"], None)
            if operation is None:
                return _json(start_response, "400 Bad Request", {"error": f'{request["service"]} has no operation {request["operation"]!r}'})
            answer = operation(**params)
        except botocore.exceptions.ClientError as e:
            error = e.response.get("Error", {})
            return _json(start_response, "200 OK", {"error": {"code": error.get("Code", ""), "message": error.get("Message", str(e))}})
        except (botocore.exceptions.ParamValidationError, TypeError) as e:
            return _json(start_response, "400 Bad Request", {"error": str(e)})
        answer.pop("ResponseMetadata", None)
        return _json(start_response, "200 OK", json.loads(json.dumps({"result": answer}, default=str)))

    def _client(self, endpoint: str, region: str, service: str, role_arn: str) -> Any:
        key = (endpoint, region, service, role_arn)
        with self.lock:
            if key in self.clients:
                return self.clients[key]
        import boto3

        credentials = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}
        if role_arn:
            session = boto3.client("sts", endpoint_url=endpoint, region_name=region, **credentials).assume_role(RoleArn=role_arn, RoleSessionName="privatelink-emulator-call")["Credentials"]
            credentials = {"aws_access_key_id": session["AccessKeyId"], "aws_secret_access_key": session["SecretAccessKey"], "aws_session_token": session["SessionToken"]}
        client = boto3.client(service, endpoint_url=endpoint, region_name=region, **credentials)
        with self.lock:
            self.clients[key] = client
        return client
