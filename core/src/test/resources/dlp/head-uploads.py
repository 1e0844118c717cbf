#!/usr/bin/python3
"""Writes HTTP requests carrying a card number in the URI or a header, each answered, for IpsHardeningTest.

usage: head-uploads.py OUT.pcap

Client port 42001: in the query; 42002: in the query, URL-encoded with %20 between groups; 42003: in a header
the logs do not echo (X-Card); 42004: in the User-Agent; 42005: in the Cookie; 42006: none.
"""
import sys

from scapy.all import PcapWriter

from tcp_upload import Connection

CLIENT, SERVER = "10.60.0.2", "192.0.2.60"

REQUESTS = {
    42001: b"GET /pay?card=4111111111111111 HTTP/1.1\r\nHost: shop.example\r\n\r\n",
    42002: b"GET /pay?card=4111%201111%201111%201111 HTTP/1.1\r\nHost: shop.example\r\n\r\n",
    42003: b"GET /x HTTP/1.1\r\nHost: shop.example\r\nX-Card: 4111-1111-1111-1111\r\n\r\n",
    42004: b"GET /y HTTP/1.1\r\nHost: shop.example\r\nUser-Agent: agent 4111 1111 1111 1111\r\n\r\n",
    42005: b"GET /z HTTP/1.1\r\nHost: shop.example\r\nCookie: c=4111111111111111\r\n\r\n",
    42006: b"GET /clean?page=2 HTTP/1.1\r\nHost: shop.example\r\nUser-Agent: curl/8.5\r\n\r\n",
}
RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"


def flow(out, sport, req, t):
    connection = Connection(CLIENT, SERVER, sport)
    c, s = connection.c, connection.s
    connection.packets += [
        connection.from_client("PA", c + 1, s + 1) / req,
        connection.from_server("PA", s + 1, c + 1 + len(req)) / RESPONSE,
        connection.from_client("FA", c + 1 + len(req), s + 1 + len(RESPONSE)),
        connection.from_server("FA", s + 1 + len(RESPONSE), c + 2 + len(req)),
    ]
    return connection.write(out, t)


out = PcapWriter(sys.argv[1], linktype=1, sync=False)
t = 1_767_225_600.0
for port, request in REQUESTS.items():
    t = flow(out, port, request, t)
out.close()
