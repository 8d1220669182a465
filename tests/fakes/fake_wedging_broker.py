"""A minimal MQTT 3.1.1 broker (python3 stdlib, loopback) that reproduces a wedged session: it
closes the connection, without an acknowledgement, on the first copy of a PUBLISH whose payload
is "poison" and on every PUBLISH with the DUP flag set (a client's resend of its stored session,
which is what mosquitto rejected as "malformed" again after every reconnect). Everything else is
acknowledged. A clean client that sends the poison message again as a new publish (DUP=0) gets it
through. CONNACK's session-present is 1 for clean_session=0 when the client id was seen before.

Prints "port N" on stdout, then logs to stderr one line per event:
  REQ CONNECT clean=<0|1> id=<client id>
  REQ PUBLISH topic=<t> qos=<q> dup=<0|1> payload=<p> accepted=<0|1>
  REQ CLOSED
"""
import socket
import sys
import threading

seen_clients = set()
poison_seen = False
lock = threading.Lock()


def log(line):
    sys.stderr.write("REQ " + line + "\n")
    sys.stderr.flush()


def read_exact(conn, n):
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def read_packet(conn):
    first = read_exact(conn, 1)[0]
    length, shift = 0, 0
    while True:
        b = read_exact(conn, 1)[0]
        length |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            break
    return first, read_exact(conn, length)


def handle(conn):
    global poison_seen
    try:
        while True:
            first, body = read_packet(conn)
            kind = first >> 4
            if kind == 1:  # CONNECT
                name_len = int.from_bytes(body[0:2], "big")
                flags = body[2 + name_len + 1]
                clean = 1 if flags & 0x02 else 0
                id_at = 2 + name_len + 4
                id_len = int.from_bytes(body[id_at:id_at + 2], "big")
                client_id = body[id_at + 2:id_at + 2 + id_len].decode()
                with lock:
                    present = 1 if (not clean and client_id in seen_clients) else 0
                    seen_clients.add(client_id)
                log(f"CONNECT clean={clean} id={client_id}")
                conn.sendall(bytes([0x20, 2, present, 0]))
            elif kind == 3:  # PUBLISH
                dup = 1 if first & 0x08 else 0
                qos = (first >> 1) & 3
                topic_len = int.from_bytes(body[0:2], "big")
                topic = body[2:2 + topic_len].decode()
                at = 2 + topic_len
                msg_id = None
                if qos > 0:
                    msg_id = body[at:at + 2]
                    at += 2
                payload = body[at:].decode(errors="replace")
                with lock:
                    reject = dup == 1 or (payload == "poison" and not poison_seen)
                    if payload == "poison":
                        poison_seen = True
                log(f"PUBLISH topic={topic} qos={qos} dup={dup} payload={payload} accepted={0 if reject else 1}")
                if reject:
                    return  # like mosquitto on a malformed packet: close, no acknowledgement
                if qos == 1:
                    conn.sendall(bytes([0x40, 2]) + msg_id)
            elif kind == 8:  # SUBSCRIBE: grant what was asked
                msg_id, at, granted = body[0:2], 2, []
                while at < len(body):
                    n = int.from_bytes(body[at:at + 2], "big")
                    granted.append(body[at + 2 + n] & 3)
                    at += 3 + n
                conn.sendall(bytes([0x90, 2 + len(granted)]) + msg_id + bytes(granted))
            elif kind == 12:  # PINGREQ
                conn.sendall(bytes([0xD0, 0]))
            elif kind == 14:  # DISCONNECT
                return
    except (EOFError, OSError):
        pass
    finally:
        log("CLOSED")
        try:
            conn.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        conn.close()


def main():
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    print(f"port {srv.getsockname()[1]}", flush=True)
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=handle, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    main()
