#!/usr/bin/env python3
"""harness/tools/free-port.py: print a TCP port on 127.0.0.1 that nothing listens on now.

The kernel picks it (bind to port 0); the socket is closed before printing, so the caller can
start a server on it. Another process could take it in between: the harness's services each
wait until they answer on their port, so such a clash fails loudly at start-up, not later.
"""
import socket

with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])
