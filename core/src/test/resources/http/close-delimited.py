#!/usr/bin/python3
"""Writes one HTTP exchange whose response body has neither Content-Length nor chunking: it ends when the
server closes the connection. usage: close-delimited.py OUT.pcap"""
import sys

from scapy.all import IP, TCP, Ether, wrpcap

e = lambda: Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
C, S = "10.30.0.2", "192.0.2.30"
req = b"GET /page HTTP/1.0\r\nHost: old.example\r\n\r\n"
resp = b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nthe body ends with the connection: CLOSE-MARKER"
c, s = 100, 700
p = [
    e() / IP(src=C, dst=S) / TCP(sport=30000, dport=80, flags="S", seq=c),
    e() / IP(src=S, dst=C) / TCP(sport=80, dport=30000, flags="SA", seq=s, ack=c + 1),
    e() / IP(src=C, dst=S) / TCP(sport=30000, dport=80, flags="A", seq=c + 1, ack=s + 1),
    e() / IP(src=C, dst=S) / TCP(sport=30000, dport=80, flags="PA", seq=c + 1, ack=s + 1) / req,
    e() / IP(src=S, dst=C) / TCP(sport=80, dport=30000, flags="PA", seq=s + 1, ack=c + 1 + len(req)) / resp,
    e() / IP(src=S, dst=C) / TCP(sport=80, dport=30000, flags="FA", seq=s + 1 + len(resp), ack=c + 1 + len(req)),
    e() / IP(src=C, dst=S) / TCP(sport=30000, dport=80, flags="FA", seq=c + 1 + len(req), ack=s + 2 + len(resp)),
]
for i, packet in enumerate(p):
    packet.time = 1_767_225_600 + i * 0.001
wrpcap(sys.argv[1], p)
