#!/usr/bin/python3
"""Writes IPv4 fragments for what rules see of them: a UDP datagram to port 53 in two fragments, a TCP SYN to port
80 with 40 payload bytes in three fragments, and a first fragment to port 53 whose datagram never completes.

usage: fragments.py OUT.pcap
"""
import sys

from scapy.all import IP, TCP, UDP, Ether, Raw, fragment, wrpcap

link = dict(src='02:00:00:00:00:01', dst='02:00:00:00:00:02')
udp = IP(src='10.60.0.1', dst='10.60.0.2', id=1) / UDP(sport=7000, dport=53) / Raw(b'u' * 120)
syn = IP(src='10.60.0.3', dst='10.60.0.2', id=2) / TCP(sport=9000, dport=80, flags='S', seq=1) / Raw(b't' * 40)
lost = IP(src='10.60.0.4', dst='10.60.0.2', id=3) / UDP(sport=7001, dport=53) / Raw(b'l' * 120)
frames = [Ether(**link) / f for f in fragment(udp, fragsize=64)]
frames += [Ether(**link) / f for f in fragment(syn, fragsize=24)]
frames += [Ether(**link) / fragment(lost, fragsize=64)[0]]
for i, frame in enumerate(frames):
    frame.time = 1767225600 + i / 1000
wrpcap(sys.argv[1], frames)
