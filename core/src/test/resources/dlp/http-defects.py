#!/usr/bin/python3
"""Writes the HTTP flows of DlpHttpDefectsTest (defects a tester found) and prints, as one JSON object, what
the EVE lines must hold, computed here.

usage: http-defects.py OUT.pcap

The card 4111111111111111 is Luhn-checked here. Each flow has its own client port:
41001 PUT /f/%34111111111111111.csv (the card's first digit percent-encoded in the path) and a 200 response;
41002 GET /d answered with Content-Disposition: attachment; filename*=UTF-8''%34111111111111111.csv;
41003 two pipelined GETs in one segment, then both responses in one segment (200 with 1 byte, 404 with 2);
41004-41006 POST bodies in codings the parser cannot decode (br, zstd, a gzip header then corrupt deflate
data), none holding the card in clear; 41007 Content-Encoding: identity with the card;
41008 GET /pay?c=%u0034111111111111111 (the card's first digit %u-encoded);
41009 FOO /up HTTP/1.1, a method no list names, with the card in its body;
41010 a GET, then the card on a line of its own that is no request line;
41011 a POST whose Content-Length is no number (-1), the card after its headers.
"""
import json
import re
import sys

from scapy.all import IP, TCP, Ether, PcapWriter

CARD = "4111111111111111"
digits = [int(d) for d in CARD]
assert sum(d if (len(digits) - i) % 2 else (2 * d - 9 if 2 * d > 9 else 2 * d)
           for i, d in enumerate(digits)) % 10 == 0, "Luhn"

CLIENT, SERVER = "10.80.0.2", "192.0.2.80"
out = PcapWriter(sys.argv[1], linktype=1, sync=False)
t = [1_767_225_600.0]


def write(packet):
    packet.time = t[0]
    t[0] += 0.0001
    out.write(packet)


def flow(sport, requests, responses):
    """One connection: each request segment acknowledged, then each response segment, then FINs."""
    e = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
    c, s = 1000, 9000
    cs = lambda f, d=b"": e / IP(src=CLIENT, dst=SERVER) / TCP(sport=sport, dport=80, flags=f, seq=c, ack=s) / d
    sc = lambda f, d=b"": e / IP(src=SERVER, dst=CLIENT) / TCP(sport=80, dport=sport, flags=f, seq=s, ack=c) / d
    write(e / IP(src=CLIENT, dst=SERVER) / TCP(sport=sport, dport=80, flags="S", seq=c))
    c += 1
    write(e / IP(src=SERVER, dst=CLIENT) / TCP(sport=80, dport=sport, flags="SA", seq=s, ack=c))
    s += 1
    write(cs("A"))
    for data in requests:
        write(cs("PA", data))
        c += len(data)
        write(sc("A"))
    for data in responses:
        write(sc("PA", data))
        s += len(data)
        write(cs("A"))
    write(cs("FA"))
    c += 1
    write(sc("FA"))
    s += 1
    write(cs("A"))


def post(coding, body):
    return (b"POST /up HTTP/1.1\r\nHost: up.example\r\nContent-Type: application/octet-stream\r\n"
            b"Content-Encoding: " + coding + b"\r\nContent-Length: %d\r\n\r\n" % len(body) + body)


OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
card = CARD.encode()
flow(41001, [b"PUT /f/%34" + card[1:] + b".csv HTTP/1.1\r\nHost: files.example\r\nContent-Length: 5\r\n\r\nhello"],
     [OK])
flow(41002, [b"GET /d HTTP/1.1\r\nHost: files.example\r\n\r\n"],
     [b"HTTP/1.1 200 OK\r\nContent-Disposition: attachment; filename*=UTF-8''%34" + card[1:]
      + b".csv\r\nContent-Length: 2\r\n\r\nok"])
flow(41003, [b"GET /a HTTP/1.1\r\nHost: a.example\r\nUser-Agent: ua-one\r\n\r\n"
             b"GET /b HTTP/1.1\r\nHost: b.example\r\nUser-Agent: ua-two\r\n\r\n"],
     [b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx"
      b"HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno"])
# Brotli's and zstd's framing start the bodies (zstd's magic 28 b5 2f fd); neither decodes here.
flow(41004, [post(b"br", b"\x1b\x0b\x00\xf8\xa5\x5a\x0c\x00\x01\x02")], [OK])
flow(41005, [post(b"zstd", b"\x28\xb5\x2f\xfd\x20\x05\x29\x00\x00\x01")], [OK])
flow(41006, [post(b"gzip", b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff\xff\xff\xff\xff")], [OK])
flow(41007, [post(b"identity", b"pay " + card + b" now")], [OK])
flow(41008, [b"GET /pay?c=%u0034" + card[1:] + b" HTTP/1.1\r\nHost: pay.example\r\n\r\n"], [OK])
flow(41009, [b"FOO /up HTTP/1.1\r\nHost: up.example\r\nContent-Length: %d\r\n\r\npay %s now"
             % (len(card) + 8, card)], [OK])
flow(41010, [b"GET / HTTP/1.1\r\nHost: up.example\r\n\r\n", b"card=" + card + b"\r\n"], [OK])
flow(41011, [b"POST /up HTTP/1.1\r\nHost: up.example\r\nContent-Length: -1\r\n\r\ncard=" + card], [OK])
out.close()

mask = lambda text: re.sub(r"[A-Za-z0-9]", "*", text)
print(json.dumps({
    "card": CARD,
    "path_file_name": mask("%34" + CARD[1:] + ".csv"),
    "disposition_file_name": mask("%34" + CARD[1:] + ".csv"),
    "pipelined": [
        {"hostname": "a.example", "url": "/a", "http_user_agent": "ua-one", "http_method": "GET", "status": 200,
         "length": 1},
        {"hostname": "b.example", "url": "/b", "http_user_agent": "ua-two", "http_method": "GET", "status": 404,
         "length": 2}],
    "undecodable_ports": [41004, 41005, 41006],
}))
