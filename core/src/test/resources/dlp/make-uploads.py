#!/usr/bin/python3
"""Writes HTTP uploads carrying the shared DLP lists' values, for DlpInHttpTest.

usage: make-uploads.py OUT.pcap OUT-index.csv CARDS.csv IBANS.csv

Each value goes up in four flows, one per body encoding: as it is (Content-Length), chunked in 7-byte
chunks, gzip'd and then chunked, and as a URL-encoded form field. The request's bytes are cut into three
TCP segments at a third and two thirds of its length, so that values are split across segments. The index
names each flow's client port, the list, the row, the encoding and whether the list says the value matches.
"""
import csv
import gzip
import sys
import urllib.parse

from scapy.all import IP, TCP, Ether, wrpcap

CLIENT, SERVER = "10.20.0.2", "192.0.2.10"


def chunked(body, size=7):
    out = b""
    for i in range(0, len(body), size):
        piece = body[i:i + size]
        out += b"%x\r\n" % len(piece) + piece + b"\r\n"
    return out + b"0\r\n\r\n"


def request(text, encoding):
    value = text.encode("utf-8")
    headers = [b"POST /upload HTTP/1.1", b"Host: files.example"]
    if encoding == "plain":
        body = value
        headers += [b"Content-Type: text/plain", b"Content-Length: %d" % len(body)]
    elif encoding == "chunked":
        body = chunked(value)
        headers += [b"Content-Type: text/plain", b"Transfer-Encoding: chunked"]
    elif encoding == "gzip":
        body = chunked(gzip.compress(value, mtime=0))
        headers += [b"Content-Type: text/plain", b"Content-Encoding: gzip", b"Transfer-Encoding: chunked"]
    else:
        body = b"note=" + urllib.parse.quote_plus(text).encode("ascii")
        headers += [b"Content-Type: application/x-www-form-urlencoded", b"Content-Length: %d" % len(body)]
    return b"\r\n".join(headers) + b"\r\n\r\n" + body


def flow(sport, payload, t):
    e = lambda: Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
    c, s = 1000, 9000
    packets = [
        e() / IP(src=CLIENT, dst=SERVER) / TCP(sport=sport, dport=80, flags="S", seq=c),
        e() / IP(src=SERVER, dst=CLIENT) / TCP(sport=80, dport=sport, flags="SA", seq=s, ack=c + 1),
        e() / IP(src=CLIENT, dst=SERVER) / TCP(sport=sport, dport=80, flags="A", seq=c + 1, ack=s + 1),
    ]
    cuts = [0, len(payload) // 3, 2 * len(payload) // 3, len(payload)]
    for a, b in zip(cuts, cuts[1:]):
        packets.append(e() / IP(src=CLIENT, dst=SERVER)
                       / TCP(sport=sport, dport=80, flags="PA", seq=c + 1 + a, ack=s + 1) / payload[a:b])
    end = c + 1 + len(payload)
    response = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
    packets += [
        e() / IP(src=SERVER, dst=CLIENT) / TCP(sport=80, dport=sport, flags="PA", seq=s + 1, ack=end) / response,
        e() / IP(src=CLIENT, dst=SERVER) / TCP(sport=sport, dport=80, flags="FA", seq=end, ack=s + 1 + len(response)),
        e() / IP(src=SERVER, dst=CLIENT) / TCP(sport=80, dport=sport, flags="FA", seq=s + 1 + len(response),
                                               ack=end + 1),
    ]
    for i, p in enumerate(packets):
        p.time = t + i * 0.001
    return packets


def main():
    out, index, cards, ibans = sys.argv[1:5]
    values = []
    with open(cards, newline="") as f:
        for n, row in enumerate(csv.DictReader(f)):
            values.append(("cards", n, row["text"], row["expected_card_match"] == "true"))
    with open(ibans, newline="") as f:
        for n, row in enumerate(csv.DictReader(f)):
            values.append(("iban", n, row["iban_electronic"], row["mod97_and_format_valid"] == "true"))
    packets = []
    port = 20000
    t = 1_767_225_600
    with open(index, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["port", "list", "row", "encoding", "expected", "value"])
        for name, n, text, expected in values:
            for encoding in ("plain", "chunked", "gzip", "form"):
                packets += flow(port, request(text, encoding), t)
                w.writerow([port, name, n, encoding, "true" if expected else "false", text])
                port += 1
                t += 1
    wrpcap(out, packets)


if __name__ == "__main__":
    main()
