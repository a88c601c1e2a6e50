"""A small HTTPS server the transport tests talk to before (and besides) the Sandbox.

Loopback only. Prints its port on stdout, then serves until killed. Every response names the
client's port, so tests can see whether curl reused a connection.

usage: stand_in_server.py CERT KEY [CLIENT_CA]   (with CLIENT_CA, a client certificate is required)
"""
import json
import ssl
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, code, payload, content_type="application/json"):
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def describe(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        peer = self.connection.getpeercert() if isinstance(self.connection, ssl.SSLSocket) else None
        subject = dict(x[0] for x in peer["subject"]) if peer else {}
        return {
            "method": self.command,
            "path": self.path,
            "clientPort": self.client_address[1],
            "headers": {k: v for k, v in self.headers.items()},
            "body": body,
            "clientCommonName": subject.get("commonName"),
        }

    def do_GET(self):
        if self.path.startswith("/stream"):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(3):
                line = json.dumps({"type": "ADDED", "object": {"n": i}}) + "\n"
                # Split one event over two chunks: framing must not depend on chunk boundaries.
                half = len(line) // 2
                for part in (line[:half], line[half:]):
                    data = part.encode()
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                    self.wfile.flush()
                time.sleep(0.05)
            self.wfile.write(b"0\r\n\r\n")
            return
        if self.path.startswith("/silent"):
            # Accepts the request and never answers, like a wedged API server.
            time.sleep(30)
            return
        if self.path.startswith("/text"):
            self.reply(200, b"<html>not json</html>", "text/html")
            return
        self.reply(200, self.describe())

    def do_POST(self):
        self.reply(201, self.describe())

    do_PUT = do_POST
    do_PATCH = do_POST
    do_DELETE = do_POST


def main():
    cert, key = sys.argv[1], sys.argv[2]
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    if len(sys.argv) > 3:
        context.load_verify_locations(sys.argv[3])
        context.verify_mode = ssl.CERT_REQUIRED
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
