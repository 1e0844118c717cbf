#!/usr/bin/python3
"""Writes HTTP requests whose heads are in flight at once, for HttpHeaderBlocksStageTest.

usage: heads-in-flight.py OUT.pcap COUNT

Client ports 45000 .. 45000 + COUNT - 1 each open a connection and send the first part of a request head,
"GET /f<i>?card=<card> HTTP/1.1\r\n" and "Host: shop.example\r\n" in two segments, one connection after the
other, so that COUNT heads are in flight at once; then each sends the empty line ending its head, and closes. Then port 46000 sends a whole
request, GET /late?card=<card>, and closes. Every segment is acknowledged by the server.
"""
import sys

from scapy.all import PcapWriter

from tcp_upload import Connection, flush

CLIENT, SERVER = "10.51.0.2", "192.0.2.51"
CARD = b"4111111111111111"


out = PcapWriter(sys.argv[1], linktype=1, sync=False)
count = int(sys.argv[2])
t = 1_767_225_600.0
connections = [Connection(CLIENT, SERVER, 45000 + i) for i in range(count)]
for i, connection in enumerate(connections):
    connection.send(b"GET /f%d?card=" % i + CARD + b" HTTP/1.1\r\n")
    connection.send(b"Host: shop.example\r\n")
t = flush(out, connections, t)
for connection in connections:
    connection.send(b"\r\n")
    connection.close()
t = flush(out, connections, t)
late = Connection(CLIENT, SERVER, 46000)
late.send(b"GET /late?card=" + CARD + b" HTTP/1.1\r\nHost: shop.example\r\n\r\n")
late.close()
flush(out, [late], t)
out.close()
