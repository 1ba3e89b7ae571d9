"""
Mail servers on loopback for fault tests, each on a port of its own:

- `StalledServer` accepts connections (the kernel completes them) and never says a word, like a
  hung mail relay; `knocks()` tells how many clients connected.
- `MailServer` starts closed (connections are refused) and, once `start()`ed, speaks just enough
  SMTP to take messages, which it keeps in `received`.
"""

import email
import socket
import threading
from email.policy import default as default_policy


class StalledServer:
    def __init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0), backlog=16)
        self.socket.setblocking(False)
        self.port = self.socket.getsockname()[1]
        self._held = []

    def knocks(self):
        """How many connections arrived since the last call (they are held open, unanswered)."""
        count = 0
        while True:
            try:
                connection, _ = self.socket.accept()
            except BlockingIOError:
                return count
            self._held.append(connection)
            count += 1

    def close(self):
        for connection in self._held:
            connection.close()
        self.socket.close()


class MailServer:
    def __init__(self):
        # Bound but not listening: the port is ours and every connection to it is refused.
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.received = []
        self._thread = None

    def start(self):
        """The server comes back: listen and take messages."""
        self.socket.listen(16)
        self.socket.settimeout(0.2)
        self._running = True
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)
        self._thread.start()

    def close(self):
        self._running = False
        if self._thread:
            self._thread.join(timeout=5)
        self.socket.close()

    def _accept_loop(self):
        while self._running:
            try:
                connection, _ = self.socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with connection:
                connection.settimeout(5)
                self._converse(connection)

    def _converse(self, connection):
        stream = connection.makefile("rwb")

        def reply(line):
            stream.write(line.encode() + b"\r\n")
            stream.flush()

        reply("220 sink ESMTP")
        recipients = []
        while line := stream.readline():
            command = line[:4].upper()
            if command in (b"EHLO", b"HELO"):
                reply("250 sink")
            elif command == b"RCPT":
                recipients.append(line.split(b":", 1)[1].strip(b"<> \r\n").decode())
                reply("250 OK")
            elif command == b"DATA":
                reply("354 End data with <CR><LF>.<CR><LF>")
                data = b"".join(iter(stream.readline, b".\r\n"))
                message = email.message_from_bytes(data, policy=default_policy)
                self.received.append((recipients, message))
                recipients = []
                reply("250 OK: queued")
            elif command == b"QUIT":
                reply("221 Bye")
                return
            else:  # MAIL, RSET, NOOP
                reply("250 OK")
