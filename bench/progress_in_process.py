"""The in-process part of bench/progress_events.py: one-event requests replayed through
Django's handler in a `manage.py shell` child (the whole middleware stack, no gunicorn), with
the CPU time of each request and of the lean view, the statements sent, and optionally a
cProfile timed in CPU."""

import json

from common import HOST, manage

IN_PROCESS_SCRIPT = r"""
import json, statistics, time, uuid
from django.db import connection
from django.test import Client
from learning.api import progress_lean

MEMBERS = json.loads(MEMBERS_JSON)
REQUESTS = REQUEST_COUNT
view_cpu = []
answer = progress_lean.progress_lean

def timed(request):
    start = time.process_time()
    try:
        return answer(request)
    finally:
        view_cpu.append(time.process_time() - start)

progress_lean.progress_lean = timed  # what ProgressShortcutMiddleware calls

def counting(captured):
    # Counts statements without Django's debug cursor, which would add its own CPU to each.
    def wrapper(execute, sql, params, many, context):
        captured.append(sql)
        return execute(sql, params, many, context)
    return wrapper
clients = []
for session, step, position in MEMBERS:
    client = Client(HTTP_HOST="HOST_NAME")
    client.cookies["sessionid"] = session
    clients.append([client, step, position])
request_cpu, queries, outcomes = [], [], {}
profile_path = "PROFILE_PATH"
profiler = None
# The warm-up gives every member one request, as a worker that has run a while has seen them
# (their step facts are kept then).
WARMUP = max(50, len(clients))
for n in range(REQUESTS + WARMUP):
    if n == WARMUP and profile_path:
        import cProfile
        profiler = cProfile.Profile(time.process_time)  # CPU, as the figures above
        profiler.enable()
    entry = clients[n % len(clients)]
    client, step, position = entry
    entry[2] = position + 1.0
    event = {"id": str(uuid.uuid4()), "step": step, "kind": "segments",
             "segments": [[position, position + 1.0]], "position": position + 1.0, "rate": 1}
    body = json.dumps({"events": [event]})
    captured = []
    with connection.execute_wrapper(counting(captured)):
        start = time.process_time()
        response = client.post("/api/v1/learning/progress", body,
                                content_type="application/json", secure=True)
        cpu = time.process_time() - start
    outcome = response.status_code
    if outcome == 200:
        outcome = response.json()["results"][0]["outcome"]
    if n >= WARMUP:
        request_cpu.append(cpu)
        queries.append(len(captured))
        outcomes[str(outcome)] = outcomes.get(str(outcome), 0) + 1
if profiler is not None:
    profiler.disable()
    profiler.dump_stats(profile_path)
view_cpu = view_cpu[WARMUP:]
print(json.dumps({
    "requests": len(request_cpu),
    "request_cpu_ms": round(1000 * statistics.mean(request_cpu), 3),
    "request_cpu_ms_median": round(1000 * statistics.median(request_cpu), 3),
    "view_cpu_ms": round(1000 * statistics.mean(view_cpu), 3),
    "view_cpu_ms_median": round(1000 * statistics.median(view_cpu), 3),
    "queries": round(statistics.mean(queries), 2),
    "outcomes": outcomes,
    "last_statements": [" ".join(sql.split())[:160] for sql in captured],
}))
"""


def in_process(env: dict, members: list, requests: int, profile: str = "") -> dict:
    """One-event requests through Django's handler in this machine's shell: CPU per request."""
    rows = [[m.session, m.step, m.position] for m in members]
    script = (
        IN_PROCESS_SCRIPT.replace("MEMBERS_JSON", repr(json.dumps(rows)))
        .replace("REQUEST_COUNT", str(requests))
        .replace("HOST_NAME", HOST)
        .replace("PROFILE_PATH", profile)
    )
    return json.loads(manage(env, "shell", "-v0", "-c", script).strip().splitlines()[-1])


def print_in_process(result: dict) -> None:
    print(
        f"\nin-process, one event per request ({result['requests']} requests): "
        f"{result['request_cpu_ms']:.2f} ms CPU per request "
        f"(median {result['request_cpu_ms_median']:.2f}), of which the lean view "
        f"{result['view_cpu_ms']:.2f} ms (median {result['view_cpu_ms_median']:.2f}); "
        f"{result['queries']:.1f} queries; outcomes {result['outcomes']}"
    )
    print("the last request's statements:")
    for sql in result.get("last_statements", []):
        print(f"  {sql}")
