#!/usr/bin/python3
"""Writes HTTP requests whose start line and headers pass the parser's 16 KiB, for IpsHardeningTest.

usage: long-head-uploads.py OUT.pcap

Client port 44001: GET /pay?card=<card> with an X-Pad header of 20,000 bytes (17,000 past the header limit of
16,384), then, after the server's acknowledgement, GET /again?card=<card> with short headers on the same
connection. 44002: GET /pay?card=<card> with short headers. Segments of at most 1448 bytes, each acknowledged.
"""
import sys

from scapy.all import PcapWriter

from tcp_upload import Connection

CLIENT, SERVER = "10.50.0.2", "192.0.2.50"
CARD = b"4111111111111111"


def request(path, pad):
    lines = [b"GET " + path + b"?card=" + CARD + b" HTTP/1.1", b"Host: shop.example"]
    if pad:
        lines.append(b"X-Pad: " + b"a" * pad)
    return b"\r\n".join(lines) + b"\r\n\r\n"


def flow(out, sport, payloads, t):
    connection = Connection(CLIENT, SERVER, sport)
    for payload in payloads:
        connection.send(payload)
    connection.close()
    return connection.write(out, t)


out = PcapWriter(sys.argv[1], linktype=1, sync=False)
t = 1_767_225_600.0
t = flow(out, 44001, [request(b"/pay", 20000), request(b"/again", 0)], t)
t = flow(out, 44002, [request(b"/pay", 0)], t)
out.close()
