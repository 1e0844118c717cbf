#!/usr/bin/python3
"""Writes three UDP datagrams, for the exit-status tests of a capture cut or corrupt part-way.

usage: three-datagrams.py OUT.pcap
Ethernet / IPv4 10.61.0.2:41000 -> 192.0.2.61:5000 / UDP, 18 payload bytes each: 60-byte frames, so the
little-endian microsecond pcap holds its 24-byte header, then records at bytes 24, 100 and 176 (16-byte record
header + 60), 252 bytes in all. One millisecond apart.
"""
import sys

from scapy.all import IP, UDP, Ether, Raw, wrpcap

frames = []
for i in range(3):
    frame = (Ether(src='02:00:00:00:00:01', dst='02:00:00:00:00:02') / IP(src='10.61.0.2', dst='192.0.2.61')
             / UDP(sport=41000, dport=5000) / Raw(b'datagram number %02d' % i))
    frame.time = 1767225600 + i / 1000
    frames.append(frame)
wrpcap(sys.argv[1], frames)
