#!/usr/bin/python3
"""Writes 250 TCP connections from 10.82.x.y to 192.0.2.82:7000, each handshake then one data segment with
'HELD-' that the server never acknowledges: in IDS mode each waits to be inspected until its flow ends. For
IpsEndOfRunLinesTest. usage: held-streams.py OUT"""
import sys

from scapy.all import IP, TCP, Ether, PcapWriter

out = PcapWriter(sys.argv[1], linktype=1, sync=False)
e = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
S = "192.0.2.82"
t = 1_767_225_600.0
for i in range(250):
    c = "10.82.%d.%d" % (i >> 8, i & 255)
    data = b"HELD-%04d waits for its acknowledgement" % i
    for p in [e / IP(src=c, dst=S) / TCP(sport=43000, dport=7000, flags="S", seq=100),
              e / IP(src=S, dst=c) / TCP(sport=7000, dport=43000, flags="SA", seq=500, ack=101),
              e / IP(src=c, dst=S) / TCP(sport=43000, dport=7000, flags="A", seq=101, ack=501),
              e / IP(src=c, dst=S) / TCP(sport=43000, dport=7000, flags="PA", seq=101, ack=501) / data]:
        p.time = t
        t += 0.0001
        out.write(p)
out.close()
