#!/usr/bin/python3
"""Writes HTTP requests whose start line and headers pass the parser's 16 KiB, for IpsHardeningTest.

usage: long-head-uploads.py OUT.pcap

Client port 44001: GET /pay?card=<card> with an X-Pad header of 20,000 bytes (17,000 past the header limit of
16,384), then, after the server's acknowledgement, GET /again?card=<card> with short headers on the same
connection. 44002: GET /pay?card=<card> with short headers. Segments of at most 1448 bytes, each acknowledged.
"""
import sys

from scapy.all import IP, TCP, Ether, PcapWriter

CLIENT, SERVER = "10.50.0.2", "192.0.2.50"
CARD = b"4111111111111111"


def request(path, pad):
    lines = [b"GET " + path + b"?card=" + CARD + b" HTTP/1.1", b"Host: shop.example"]
    if pad:
        lines.append(b"X-Pad: " + b"a" * pad)
    return b"\r\n".join(lines) + b"\r\n\r\n"


def flow(out, sport, payloads, t):
    e = lambda: Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
    c, s = 1000, 9000
    packets = [
        e() / IP(src=CLIENT, dst=SERVER) / TCP(sport=sport, dport=80, flags="S", seq=c),
        e() / IP(src=SERVER, dst=CLIENT) / TCP(sport=80, dport=sport, flags="SA", seq=s, ack=c + 1),
        e() / IP(src=CLIENT, dst=SERVER) / TCP(sport=sport, dport=80, flags="A", seq=c + 1, ack=s + 1),
    ]
    sent = 0
    for payload in payloads:
        for at in range(0, len(payload), 1448):
            piece = payload[at:at + 1448]
            packets.append(e() / IP(src=CLIENT, dst=SERVER)
                           / TCP(sport=sport, dport=80, flags="PA", seq=c + 1 + sent, ack=s + 1) / piece)
            sent += len(piece)
            packets.append(e() / IP(src=SERVER, dst=CLIENT)
                           / TCP(sport=80, dport=sport, flags="A", seq=s + 1, ack=c + 1 + sent))
    end = c + 1 + sent
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
t = flow(out, 44001, [request(b"/pay", 20000), request(b"/again", 0)], t)
t = flow(out, 44002, [request(b"/pay", 0)], t)
out.close()
