#!/usr/bin/python3
"""Writes HTTP requests carrying a card number in the URI or a header, each answered, for IpsHardeningTest.

usage: head-uploads.py OUT.pcap

Client port 42001: in the query; 42002: in the query, URL-encoded with %20 between groups; 42003: in a header
the logs do not echo (X-Card); 42004: in the User-Agent; 42005: in the Cookie; 42006: none.
"""
import sys

from scapy.all import IP, TCP, Ether, PcapWriter

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
    e = lambda: Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
    c, s = 1000, 9000
    packets = [
        e() / IP(src=CLIENT, dst=SERVER) / TCP(sport=sport, dport=80, flags="S", seq=c),
        e() / IP(src=SERVER, dst=CLIENT) / TCP(sport=80, dport=sport, flags="SA", seq=s, ack=c + 1),
        e() / IP(src=CLIENT, dst=SERVER) / TCP(sport=sport, dport=80, flags="A", seq=c + 1, ack=s + 1),
        e() / IP(src=CLIENT, dst=SERVER) / TCP(sport=sport, dport=80, flags="PA", seq=c + 1, ack=s + 1) / req,
        e() / IP(src=SERVER, dst=CLIENT) / TCP(sport=80, dport=sport, flags="PA", seq=s + 1,
                                               ack=c + 1 + len(req)) / RESPONSE,
        e() / IP(src=CLIENT, dst=SERVER) / TCP(sport=sport, dport=80, flags="FA", seq=c + 1 + len(req),
                                               ack=s + 1 + len(RESPONSE)),
        e() / IP(src=SERVER, dst=CLIENT) / TCP(sport=80, dport=sport, flags="FA", seq=s + 1 + len(RESPONSE),
                                               ack=c + 2 + len(req)),
    ]
    for packet in packets:
        packet.time = t
        t += 0.0001
        out.write(packet)
    return t


out = PcapWriter(sys.argv[1], linktype=1, sync=False)
t = 1_767_225_600.0
for port, request in REQUESTS.items():
    t = flow(out, port, request, t)
out.close()
