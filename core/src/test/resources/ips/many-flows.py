#!/usr/bin/python3
"""Writes COUNT - 1 TCP flows that only send a SYN and stay open, then one HTTP request with its handshake, for
IpsHardeningTest (more flows than a worker has streams). usage: many-flows.py OUT.pcap COUNT"""
import sys

from scapy.all import IP, TCP, Ether, PcapWriter, raw

out, count = PcapWriter(sys.argv[1], linktype=1, sync=False), int(sys.argv[2])
e = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
C, S = "10.70.0.2", "192.0.2.70"
t = 1_767_225_600.0
for i in range(count - 1):
    p = e / IP(src=C, dst=S) / TCP(sport=10000 + i, dport=80, flags="S", seq=1000)
    p.time = t
    t += 0.00001
    out.write(p)
req = b"GET /last HTTP/1.1\r\nHost: last.example\r\n\r\n"
sport = 10000 + count - 1
for p in [
    e / IP(src=C, dst=S) / TCP(sport=sport, dport=80, flags="S", seq=1000),
    e / IP(src=S, dst=C) / TCP(sport=80, dport=sport, flags="SA", seq=9000, ack=1001),
    e / IP(src=C, dst=S) / TCP(sport=sport, dport=80, flags="A", seq=1001, ack=9001),
    e / IP(src=C, dst=S) / TCP(sport=sport, dport=80, flags="PA", seq=1001, ack=9001) / req,
]:
    p.time = t
    t += 0.00001
    out.write(p)
out.close()
