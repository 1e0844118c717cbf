#!/usr/bin/python3
"""Writes one TCP connection (handshake, then the client sends BYTES bytes of FILL in segments of at most
SEGMENT bytes, then FINs). usage: one-stream.py OUT.pcap BYTES SEGMENT FILL"""
import sys

from scapy.all import IP, TCP, Ether, wrpcap

out, total, segment, fill = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4].encode()
data = (fill * (total // len(fill) + 1))[:total]
e = lambda: Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
C, S = "10.40.0.2", "192.0.2.40"
c, s = 1000, 9000
p = [
    e() / IP(src=C, dst=S) / TCP(sport=40000, dport=8080, flags="S", seq=c),
    e() / IP(src=S, dst=C) / TCP(sport=8080, dport=40000, flags="SA", seq=s, ack=c + 1),
    e() / IP(src=C, dst=S) / TCP(sport=40000, dport=8080, flags="A", seq=c + 1, ack=s + 1),
]
for at in range(0, total, segment):
    chunk = data[at:at + segment]
    p.append(e() / IP(src=C, dst=S) / TCP(sport=40000, dport=8080, flags="PA", seq=c + 1 + at, ack=s + 1) / chunk)
    p.append(e() / IP(src=S, dst=C) / TCP(sport=8080, dport=40000, flags="A", seq=s + 1, ack=c + 1 + at + len(chunk)))
p.append(e() / IP(src=C, dst=S) / TCP(sport=40000, dport=8080, flags="FA", seq=c + 1 + total, ack=s + 1))
p.append(e() / IP(src=S, dst=C) / TCP(sport=8080, dport=40000, flags="FA", seq=s + 1, ack=c + 2 + total))
for i, packet in enumerate(p):
    packet.time = 1_767_225_600 + i * 0.001
wrpcap(out, p)
