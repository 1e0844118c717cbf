#!/usr/bin/python3
"""Writes HTTP uploads whose bodies the parser cuts, for IpsHardeningTest (DLP on bodies not scanned whole).

usage: cut-uploads.py OUT.pcap

Client port 41001: a card number after 1.2 MiB of padding (past the parser's 1 MiB body limit);
41002: gzip of 2 MiB of zeros then the card (past the decompression ratio cap);
41003: the card alone (a finding); 41004: no card. Segments of at most 1448 bytes, each acknowledged.
"""
import gzip
import sys

from scapy.all import PcapWriter

from tcp_upload import Connection

CLIENT, SERVER = "10.50.0.2", "192.0.2.50"
CARD = b"4111 1111 1111 1111"


def request(body, gzipped):
    headers = [b"POST /upload HTTP/1.1", b"Host: files.example", b"Content-Type: text/plain"]
    if gzipped:
        body = gzip.compress(body, mtime=0)
        headers.append(b"Content-Encoding: gzip")
    headers.append(b"Content-Length: %d" % len(body))
    return b"\r\n".join(headers) + b"\r\n\r\n" + body


def flow(out, sport, payload, t):
    connection = Connection(CLIENT, SERVER, sport)
    connection.send(payload)
    connection.close()
    return connection.write(out, t)


out = PcapWriter(sys.argv[1], linktype=1, sync=False)
t = 1_767_225_600.0
t = flow(out, 41001, request(b"A" * (1200 * 1024) + b" " + CARD + b"\n", False), t)
t = flow(out, 41002, request(b"\0" * (2 << 20) + b" " + CARD + b"\n", True), t)
t = flow(out, 41003, request(b"card: " + CARD + b"\n", False), t)
t = flow(out, 41004, request(b"nothing to see\n", False), t)
out.close()
