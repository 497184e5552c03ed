"""Steady state: N sequential relationship requests on one requests.Session (kept alive).

Usage: steady.py <calls> <warmup>. Prints "wall_ns <ns>" and one "lat <ns>" per timed call.
"""

import sys
import time
import uuid

import requests

from common import get_token, relationship_request, settings


def main():
    calls, warmup = int(sys.argv[1]), int(sys.argv[2])
    base, tenant, client_id, refresh_token = settings()
    correlation_id = str(uuid.uuid4())
    with requests.Session() as http:
        token = get_token(http, base, tenant, client_id, refresh_token)
        for _ in range(warmup):
            relationship_request(http, base, token, correlation_id)
        latencies = []
        start = time.perf_counter_ns()
        for _ in range(calls):
            t0 = time.perf_counter_ns()
            relationship_request(http, base, token, correlation_id)
            latencies.append(time.perf_counter_ns() - t0)
        wall = time.perf_counter_ns() - start
    out = [f"wall_ns {wall}"] + [f"lat {ns}" for ns in latencies]
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
