"""`python -m config.healthcheck`: the container health check. Exits 0 when /healthz answers 200.

It calls the app on loopback as the proxy would: with an allowed Host and X-Forwarded-Proto https, so
neither ALLOWED_HOSTS nor the HTTPS redirect has to be relaxed for it.
"""

import os
import sys
import urllib.request

host = (os.environ.get("ALLOWED_HOSTS") or "localhost").split(",")[0].strip().lstrip(".") or "localhost"
request = urllib.request.Request(
    f"http://127.0.0.1:{os.environ.get('HEALTHCHECK_PORT', '8000')}/healthz",
    headers={"Host": host, "X-Forwarded-Proto": "https"},
)
try:
    with urllib.request.urlopen(request, timeout=5) as response:
        sys.exit(0 if response.status == 200 else 1)
except Exception as error:  # noqa: BLE001
    print(f"unhealthy: {error}", file=sys.stderr)
    sys.exit(1)
