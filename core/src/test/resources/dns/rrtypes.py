#!/usr/bin/python3
"""Writes DNS over UDP for IpsHardeningTest: one query per type in TYPES (each answered with no records), then
a query for www.example.org answered by a CNAME, an A and an AAAA record. usage: rrtypes.py OUT.pcap"""
import sys

from scapy.all import DNS, DNSQR, DNSRR, IP, UDP, Ether, wrpcap

TYPES = [2, 6, 12, 15, 16, 33, 35, 43, 46, 48, 52, 64, 65, 99, 255, 257, 65280]
C, S = "10.80.0.2", "192.0.2.53"
e = lambda: Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
packets = []
for i, qtype in enumerate(TYPES):
    question = DNSQR(qname="t%d.example.org" % qtype, qtype=qtype)
    packets.append(e() / IP(src=C, dst=S) / UDP(sport=20000 + i, dport=53) / DNS(id=100 + i, rd=1, qd=question))
    packets.append(e() / IP(src=S, dst=C) / UDP(sport=53, dport=20000 + i)
                   / DNS(id=100 + i, qr=1, rd=1, ra=1, rcode=3, qd=question))
question = DNSQR(qname="www.example.org", qtype=1)
answers = (DNSRR(rrname="www.example.org", type="CNAME", ttl=3600, rdata="web.example.org")
           / DNSRR(rrname="web.example.org", type="A", ttl=300, rdata="192.0.2.80")
           / DNSRR(rrname="web.example.org", type="AAAA", ttl=300, rdata="2001:db8::80"))
packets.append(e() / IP(src=C, dst=S) / UDP(sport=21000, dport=53) / DNS(id=7, rd=1, qd=question))
packets.append(e() / IP(src=S, dst=C) / UDP(sport=53, dport=21000)
               / DNS(id=7, qr=1, aa=1, rd=1, ra=1, qd=question, an=answers))
for i, packet in enumerate(packets):
    packet.time = 1_767_225_600 + i * 0.001
wrpcap(sys.argv[1], packets)
