"""A counting VICIdial stand-in, run as its own process: it notes when each request arrives and how
many are in flight, and answers every call with one campaigns_list row after ``--latency`` s.

``python counting_server.py --latency 0.02`` prints ``LISTENING <port>``; ``GET /_times`` answers
``{"times": [...], "most_in_flight": n}`` (seconds).

The arrival time of a request is the kernel's receive timestamp of its first bytes
(``SO_TIMESTAMPNS``), not the moment this process gets round to reading them: on a busy machine the
server process itself may wait for a CPU, and reading a queue of requests at once would make them
look bunched when they arrived spread out. One thread per connection keeps it simple.
"""

from __future__ import annotations

import argparse
import json
import socket
import struct
import threading
import time

CAMPAIGNS = b"TESTCAMP|Test|Y|ADMIN|RATIO|1|DOWN|NEW|26|9||\n"
SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)


class Counter:
    def __init__(self, latency: float) -> None:
        self.latency = latency
        self.lock = threading.Lock()
        self.times: list[float] = []
        self.in_flight = 0
        self.most = 0

    def serve(self, conn: socket.socket) -> None:
        conn.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        buf = b""
        try:
            while True:
                stamp: float | None = None
                while b"\r\n\r\n" not in buf:
                    data, anc, _, _ = conn.recvmsg(65536, 1024)
                    if not data:
                        return
                    if stamp is None:
                        stamp = kernel_time(anc)
                    buf += data
                head, _, buf = buf.partition(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value.strip())
                while len(buf) < length:
                    data = conn.recv(65536)
                    if not data:
                        return
                    buf += data
                buf = buf[length:]
                if head.startswith(b"GET /_times"):
                    with self.lock:
                        body = json.dumps({"times": sorted(self.times), "most_in_flight": self.most}).encode()
                    ctype = b"application/json"
                else:
                    with self.lock:
                        self.times.append(stamp if stamp is not None else time.time())
                        self.in_flight += 1
                        self.most = max(self.most, self.in_flight)
                    try:
                        if self.latency:
                            time.sleep(self.latency)
                    finally:
                        with self.lock:
                            self.in_flight -= 1
                    body, ctype = CAMPAIGNS, b"text/html; charset=utf-8"
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: " + ctype + b"\r\nContent-Length: "
                             + str(len(body)).encode() + b"\r\n\r\n" + body)
        except OSError:
            pass
        finally:
            conn.close()


def kernel_time(ancillary: list[tuple[int, int, bytes]]) -> float | None:
    for level, kind, data in ancillary:
        if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and len(data) >= 16:
            sec, nsec = struct.unpack("qq", data[:16])
            return sec + nsec / 1e9
    return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency", type=float, default=0.0)
    args = parser.parse_args()
    counter = Counter(args.latency)
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(512)
    print(f"LISTENING {listener.getsockname()[1]}", flush=True)
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=counter.serve, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    main()
