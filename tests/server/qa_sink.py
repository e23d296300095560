#!/usr/bin/env python3
"""Receivers for the QA notification tests (tests/server/qa_api.sh).

qa_sink.py webhook PORTFILE OUT.jsonl SECRET [--fail N] [--delay S]
    HTTP server on a free port: every POST is checked (X-Mcred-Signature
    is HMAC-SHA256(secret, "<t>.<body>"), Idempotency-Key equals the
    body's "id") and appended to OUT as one JSON line with "valid". The
    first N requests are answered 500 (a receiver that is down), each
    answer waits S seconds (a slow receiver, to kill a sender mid-run).
qa_sink.py smtp PORTFILE OUT.jsonl
    SMTP server (Python 3.11 smtpd) writing each message as a JSON line.
"""
import hashlib
import hmac
import json
import sys
import threading
import time


def webhook(portfile, out, secret, fail, delay):
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    lock = threading.Lock()
    state = {"left": fail}

    class H(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_POST(self):
            n = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(n)
            sig = self.headers.get("X-Mcred-Signature", "")
            key = self.headers.get("Idempotency-Key", "")
            parts = dict(p.split("=", 1) for p in sig.split(",") if "=" in p)
            mac = hmac.new(secret.encode(), (parts.get("t", "") + ".").encode() + body, hashlib.sha256).hexdigest()
            try:
                doc = json.loads(body)
            except ValueError:
                doc = {}
            valid = hmac.compare_digest(mac, parts.get("v1", "")) and doc.get("id") == key
            with lock:
                refuse = state["left"] > 0
                if refuse:
                    state["left"] -= 1
                with open(out, "a") as f:
                    f.write(json.dumps({"key": key, "valid": valid, "refused": refuse,
                                        "type": self.headers.get("Content-Type"), "body": doc}) + "\n")
            if delay:
                time.sleep(delay)
            self.send_response(500 if refuse else 204)
            self.end_headers()

    srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
    with open(portfile + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    import os
    os.rename(portfile + ".tmp", portfile)
    srv.serve_forever()


def smtp(portfile, out):
    import warnings
    warnings.simplefilter("ignore")
    import asyncore
    import os
    import smtpd

    class S(smtpd.SMTPServer):
        def process_message(self, peer, mailfrom, rcpttos, data, **kw):
            text = data.decode() if isinstance(data, bytes) else data
            with open(out, "a") as f:
                f.write(json.dumps({"from": mailfrom, "to": rcpttos, "data": text}) + "\n")

    s = S(("127.0.0.1", 0), None, decode_data=False)
    with open(portfile + ".tmp", "w") as f:
        f.write(str(s.socket.getsockname()[1]))
    os.rename(portfile + ".tmp", portfile)
    asyncore.loop()


if __name__ == "__main__":
    a = sys.argv[1:]
    if a[0] == "webhook":
        fail = int(a[a.index("--fail") + 1]) if "--fail" in a else 0
        delay = float(a[a.index("--delay") + 1]) if "--delay" in a else 0
        webhook(a[1], a[2], a[3], fail, delay)
    else:
        smtp(a[1], a[2])
