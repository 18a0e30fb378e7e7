"""The shade service: asks the color backend for its color and tells it with a shade.

It answers the color backend's own `GET /color`, so the gateway and its page can call it in the
backend's place: {"color": "red", "shade": "light"}.

Python's standard library only, and nothing of this project: it keeps the bring-your-own-service
contract (docs/bring-your-own-service.md) and no more. It listens on HOST and PORT, finds the
color backend's base URL in COLOR_BACKEND, answers 200 on /health and drains on SIGTERM.
"""

import json
import os
import signal
import sys
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOST = os.environ.get("HOST", "0.0.0.0")
PORT = int(os.environ.get("PORT", "3000"))
SHADE = os.environ.get("SHADE", "plain")
COLOR_BACKEND = os.environ["COLOR_BACKEND"].rstrip("/")
# Stop waiting for the backend before the caller (the mesh's per-request timeout) gives up.
BACKEND_TIMEOUT_S = float(os.environ.get("BACKEND_TIMEOUT_MS", "4000")) / 1000
# Trace context is passed on, so the mesh's spans on both sides of this hop join one trace.
PROPAGATED = ("traceparent", "tracestate")


class Handler(BaseHTTPRequestHandler):
    # HTTP/1.1 keeps the caller's connection open between requests, as a mesh proxy expects.
    protocol_version = "HTTP/1.1"
    # Headers and body go out as two writes: without TCP_NODELAY each reply waits on a delayed ACK.
    disable_nagle_algorithm = True
    server_version = "shade"

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == "/health":
            self.reply(200, {"status": "up"})
        elif path == "/color":
            self.reply(*self.shade())
        else:
            self.reply(404, {"error": "not_found"})

    def shade(self):
        headers = {name: self.headers[name] for name in PROPAGATED if self.headers[name]}
        request = urllib.request.Request(f"{COLOR_BACKEND}/color", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=BACKEND_TIMEOUT_S) as response:
                color = json.load(response)["color"]
        except (urllib.error.URLError, TimeoutError, KeyError, ValueError) as error:
            return 502, {"error": "color_backend_failed", "detail": str(error)}
        return 200, {"color": color, "shade": SHADE}

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        # No per-request log: the mesh measures traffic itself.
        pass


def main():
    server = ThreadingHTTPServer((HOST, PORT), Handler)
    # Requests in flight finish before the process exits (server_close joins their threads).
    server.daemon_threads = False

    def drain(signum, frame):
        threading.Thread(target=server.shutdown).start()

    signal.signal(signal.SIGTERM, drain)
    print(f"shade {SHADE} listening on {HOST}:{PORT}", flush=True)
    server.serve_forever()
    server.server_close()
    print("shade drained", flush=True)


if __name__ == "__main__":
    sys.exit(main())
