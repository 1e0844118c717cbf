#!/usr/bin/python3
"""Writes the HTTP flows of HttpIdentifyFrameDecodeTest (defects D6, D7 and D8 a tester found).

usage: http-identify-frame-decode.py OUT.pcap

Each flow is one request in one segment, answered by an empty 200; the card 4111111111111111 (Luhn-valid) is
in each body, split over two chunks in the chunked ones, so that only a de-chunked body holds it whole:
42001 CRLF then a POST with Content-Length;  42002 a bare LF then the same POST;
42003 CRLF CRLF then the chunked POST with a plain Transfer-Encoding header;
42004 a POST whose 'Transfer-Encoding:' is folded, ' chunked' on the next line;
42005 a POST whose 'Content-Length:' is folded, its number on the next line;
42006 the plain POST, for comparison;
42007 a POST with Content-Encoding: deflate, a zlib stream of 'hello world', then, after its end, the bytes
' trailing card 4111111111111111 end'; 42008 the same with a raw deflate stream.
"""
import sys
import zlib

from scapy.all import PcapWriter

sys.path.insert(0, sys.path[0])
from tcp_upload import Connection

CARD = b"4111111111111111"
BODY = b"card=" + CARD + b"&x=1"
CHUNKED = b"d\r\n" + BODY[:13] + b"\r\n%x\r\n" % (len(BODY) - 13) + BODY[13:] + b"\r\n0\r\n\r\n"
assert CARD not in CHUNKED


def post(head):
    return b"POST /up HTTP/1.1\r\nHost: shop.example\r\n" + head


WITH_LENGTH = post(b"Content-Length: %d\r\n\r\n" % len(BODY)) + BODY
FLOWS = {
    42001: b"\r\n" + WITH_LENGTH,
    42002: b"\n" + WITH_LENGTH,
    42003: b"\r\n\r\n" + post(b"Transfer-Encoding: chunked\r\n\r\n") + CHUNKED,
    42004: post(b"Transfer-Encoding:\r\n chunked\r\n\r\n") + CHUNKED,
    42005: post(b"Content-Length:\r\n %d\r\n\r\n" % len(BODY)) + BODY,
    42006: WITH_LENGTH,
}
TRAILING = b" trailing card " + CARD + b" end"
raw = zlib.compressobj(6, zlib.DEFLATED, -15)
for sport, stream in ((42007, zlib.compress(b"hello world")), (42008, raw.compress(b"hello world") + raw.flush())):
    body = stream + TRAILING
    FLOWS[sport] = post(b"Content-Encoding: deflate\r\nContent-Length: %d\r\n\r\n" % len(body)) + body

out = PcapWriter(sys.argv[1], linktype=1, sync=False)
t = 1_767_225_600.0
for sport, request in FLOWS.items():
    connection = Connection("10.81.0.2", "192.0.2.81", sport)
    connection.send(request)
    connection.answer(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
    connection.close()
    for packet in connection.packets:
        packet.time = t
        t += 0.0001
        out.write(packet)
out.close()
