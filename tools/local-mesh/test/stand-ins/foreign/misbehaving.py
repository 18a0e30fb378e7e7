"""A service outside this repository, for the runner's tests: MODE says how it behaves.

ok: keeps the contract (HOST, PORT, 200 on /health, drains on SIGTERM); crash: dies at start;
unhealthy: listens but answers 503; fixed-port: ignores PORT and binds FIXED_PORT.
"""

import json
import os
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODE = os.environ.get("MODE", "ok")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        status = 503 if MODE == "unhealthy" else 200
        body = json.dumps({"pid": os.getpid(), "version": os.environ.get("VERSION")}).encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


if MODE == "crash":
    print("RuntimeError: CONFIG_FILE is not set", file=sys.stderr, flush=True)
    sys.exit(3)

port = int(os.environ["FIXED_PORT"] if MODE == "fixed-port" else os.environ["PORT"])
server = ThreadingHTTPServer((os.environ["HOST"], port), Handler)
signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
print(f"listening on {port}", flush=True)
server.serve_forever()
