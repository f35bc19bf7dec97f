"""X5: schemathesis over the OpenAPI description the app serves (/api/v1/_openapi), signed in as an
applicant (the session cookie, as the browser sends it): for every operation a fixed number of
generated requests, derandomized so each run sends the same ones, and not one may answer 5xx."""
from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings

EXAMPLES = 15  # per operation; the whole test stays at a few seconds


def _operations(schema):
    for result in schema.get_all_operations():
        yield result.ok()


def test_no_generated_request_gets_a_server_error(app, world, clients):
    client = clients("demo_person")
    response = client.get("/api/v1/_openapi")
    assert response.status_code == 200, response.status_code
    raw = response.get_json()
    schema = schemathesis.openapi.from_dict(raw)
    schema.app = app
    cookie = client.get_cookie("session").value
    operations = list(_operations(schema))
    assert {"/api/v1/my_applications/{pk}", "/api/v1/profile/"} <= {op.path for op in operations}
    failures: list[str] = []
    sent: dict[str, int] = {}
    statuses: dict[str, set[int]] = {}

    def fuzz(operation):
        label = f"{operation.method.upper()} {operation.path}"

        @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def probe(case):
            if case.headers:  # the spec's bearer scheme makes it invent tokens; the session signs in instead
                case.headers.pop("Authorization", None)
            result = case.call(cookies={"session": cookie})
            sent[label] = sent.get(label, 0) + 1
            statuses.setdefault(label, set()).add(result.status_code)
            if result.status_code >= 500:
                failures.append(f"{label} → {result.status_code}: {case.as_curl_command()}")

        probe()

    for operation in operations:
        fuzz(operation)
    assert all(count >= 1 for count in sent.values()) and len(sent) == len(operations), sent
    # the cookie signs the requests in: the applicant's own rows and profile were answered
    assert 200 in statuses["GET /api/v1/profile/"] and 200 in statuses["GET /api/v1/my_applications/"], statuses
    assert not failures, "server errors:\n" + "\n".join(sorted(set(failures))[:20])
