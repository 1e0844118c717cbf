#!/usr/bin/python3
"""Writes a keep-alive response that finds every HTTP header block held, for HttpHeaderBlocksStageTest.

usage: unkept-response.py OUT.pcap COUNT

Client port 47000 sends two requests, GET /one.txt and GET /two.txt, in one segment. Then client ports 45000 ..
45000 + COUNT - 1 each send the first part of a request head, so that COUNT heads are in flight at once. Then the
server of 47000 answers the first request, "200 OK" with a Content-Length body "abcdefxyz" that ends without a
line feed. Then the COUNT heads end and their connections close. Then the server of 47000 answers the second
request, "404 Not Found" with the body "gone", and 47000 closes. Every segment is acknowledged.
"""
import sys

from scapy.all import PcapWriter

from tcp_upload import Connection, flush

CLIENT, SERVER = "10.52.0.2", "192.0.2.52"


out = PcapWriter(sys.argv[1], linktype=1, sync=False)
count = int(sys.argv[2])
t = 1_767_225_600.0
keep_alive = Connection(CLIENT, SERVER, 47000)
keep_alive.send(b"GET /one.txt HTTP/1.1\r\nHost: shop.example\r\n\r\n"
                b"GET /two.txt HTTP/1.1\r\nHost: shop.example\r\n\r\n")
t = flush(out, [keep_alive], t)
stalled = [Connection(CLIENT, SERVER, 45000 + i) for i in range(count)]
for i, connection in enumerate(stalled):
    connection.send(b"GET /f%d HTTP/1.1\r\n" % i)
    connection.send(b"Host: shop.example\r\n")
t = flush(out, stalled, t)
keep_alive.answer(b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabcdefxyz")
t = flush(out, [keep_alive], t)
for connection in stalled:
    connection.send(b"\r\n")
    connection.close()
t = flush(out, stalled, t)
keep_alive.answer(b"HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\ngone")
keep_alive.close()
flush(out, [keep_alive], t)
out.close()
