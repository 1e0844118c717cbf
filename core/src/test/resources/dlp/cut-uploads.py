#!/usr/bin/python3
"""Writes HTTP uploads whose bodies the parser cuts, for IpsHardeningTest (DLP on bodies not scanned whole).

usage: cut-uploads.py OUT.pcap

Client port 41001: a card number after 1.2 MiB of padding (past the parser's 1 MiB body limit);
41002: gzip of 2 MiB of zeros then the card (past the decompression ratio cap);
41003: the card alone (a finding); 41004: no card. Segments of at most 1448 bytes, each acknowledged.
"""
import gzip
import sys

from scapy.all import IP, TCP, Ether, PcapWriter

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
    e = lambda: Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
    c, s = 1000, 9000
    packets = [
        e() / IP(src=CLIENT, dst=SERVER) / TCP(sport=sport, dport=80, flags="S", seq=c),
        e() / IP(src=SERVER, dst=CLIENT) / TCP(sport=80, dport=sport, flags="SA", seq=s, ack=c + 1),
        e() / IP(src=CLIENT, dst=SERVER) / TCP(sport=sport, dport=80, flags="A", seq=c + 1, ack=s + 1),
    ]
    for at in range(0, len(payload), 1448):
        piece = payload[at:at + 1448]
        packets.append(e() / IP(src=CLIENT, dst=SERVER)
                       / TCP(sport=sport, dport=80, flags="PA", seq=c + 1 + at, ack=s + 1) / piece)
        packets.append(e() / IP(src=SERVER, dst=CLIENT)
                       / TCP(sport=80, dport=sport, flags="A", seq=s + 1, ack=c + 1 + at + len(piece)))
    end = c + 1 + len(payload)
    packets += [
        e() / IP(src=CLIENT, dst=SERVER) / TCP(sport=sport, dport=80, flags="FA", seq=end, ack=s + 1),
        e() / IP(src=SERVER, dst=CLIENT) / TCP(sport=80, dport=sport, flags="FA", seq=s + 1, ack=end + 1),
    ]
    for packet in packets:
        packet.time = t
        t += 0.0001
        out.write(packet)
    return t


out = PcapWriter(sys.argv[1], linktype=1, sync=False)
t = 1_767_225_600.0
t = flow(out, 41001, request(b"A" * (1200 * 1024) + b" " + CARD + b"\n", False), t)
t = flow(out, 41002, request(b"\0" * (2 << 20) + b" " + CARD + b"\n", True), t)
t = flow(out, 41003, request(b"card: " + CARD + b"\n", False), t)
t = flow(out, 41004, request(b"nothing to see\n", False), t)
out.close()
