"""What the fake devices in tests/fakes share (python3 stdlib): a threaded loopback HTTP server
that announces its port, and whole-body replies."""
import http.server, socketserver


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


def reply(handler, status, content_type, body):
    """A complete response with Content-Length (the connection stays usable); status None: the
    status line and some headers were sent already."""
    if status is not None:
        handler.send_response(status)
    if content_type:
        handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def serve(handler_class):
    """Listens on a free loopback port, prints "port N" on stdout and serves forever."""
    srv = Server(("127.0.0.1", 0), handler_class)
    print(f"port {srv.server_address[1]}", flush=True)
    srv.serve_forever()
