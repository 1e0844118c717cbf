#!/usr/bin/python3
"""Writes IPv6 fragments for what rules see of them: a UDP datagram to port 53 in two fragments, a TCP SYN to port
80 with 40 payload bytes in two fragments, and a first fragment to port 53 whose datagram never completes; then
an atomic fragment (offset 0, no more fragments, RFC 6946), a whole UDP datagram to port 53.

usage: fragments6.py OUT.pcap
"""
import sys

from scapy.all import TCP, UDP, Ether, IPv6, IPv6ExtHdrFragment, Raw, fragment6, wrpcap

link = dict(src='02:00:00:00:00:01', dst='02:00:00:00:00:02')
udp = IPv6(src='fd00:60::1', dst='fd00:60::2') / IPv6ExtHdrFragment(id=1) / UDP(sport=7000, dport=53) \
    / Raw(b'u' * 120)
syn = IPv6(src='fd00:60::3', dst='fd00:60::2') / IPv6ExtHdrFragment(id=2) \
    / TCP(sport=9000, dport=80, flags='S', seq=1) / Raw(b't' * 40)
lost = IPv6(src='fd00:60::4', dst='fd00:60::2') / IPv6ExtHdrFragment(id=3) / UDP(sport=7001, dport=53) \
    / Raw(b'l' * 120)
atomic = IPv6(src='fd00:60::5', dst='fd00:60::2') / IPv6ExtHdrFragment(id=4, offset=0, m=0) \
    / UDP(sport=7002, dport=53) / Raw(b'a' * 8)
frames = [Ether(**link) / f for f in fragment6(udp, 120)]
frames += [Ether(**link) / f for f in fragment6(syn, 80)]
frames += [Ether(**link) / fragment6(lost, 120)[0]]
frames += [Ether(**link) / atomic]
for i, frame in enumerate(frames):
    frame.time = 1767225600 + i / 1000
wrpcap(sys.argv[1], frames)
