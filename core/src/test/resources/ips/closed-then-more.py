#!/usr/bin/python3
"""Writes two connections that send more after they closed, for ClosedConnectionStreamsTest: one closed by both
FINs, then a retransmission of its data ('RETRANS-MARK', inspected once already); one reset by the server,
then new data from the client ('AFTER-RST'). usage: closed-then-more.py OUT"""
import sys

from scapy.all import IP, TCP, Ether, PcapWriter

out = PcapWriter(sys.argv[1], linktype=1, sync=False)
e = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
C, S = "10.81.0.1", "192.0.2.81"
t = 1_767_225_600.0


def write(packets):
    global t
    for p in packets:
        p.time = t
        t += 0.0001
        out.write(p)


def cs(sport, flags, seq, ack, data=b""):
    return e / IP(src=C, dst=S) / TCP(sport=sport, dport=7000, flags=flags, seq=seq, ack=ack) / data


def sc(sport, flags, seq, ack, data=b""):
    return e / IP(src=S, dst=C) / TCP(sport=7000, dport=sport, flags=flags, seq=seq, ack=ack) / data


data = b"first RETRANS-MARK bytes"
n = len(data)
write([cs(41000, "S", 100, 0), sc(41000, "SA", 500, 101), cs(41000, "A", 101, 501),
       cs(41000, "PA", 101, 501, data), sc(41000, "A", 501, 101 + n),
       cs(41000, "FA", 101 + n, 501), sc(41000, "FA", 501, 102 + n), cs(41000, "A", 102 + n, 502),
       cs(41000, "PA", 101, 501, data)])
write([cs(41001, "S", 100, 0), sc(41001, "SA", 500, 101), cs(41001, "A", 101, 501),
       cs(41001, "PA", 101, 501, b"hello"), sc(41001, "A", 501, 106), sc(41001, "R", 501, 0),
       cs(41001, "PA", 106, 501, b"AFTER-RST")])
out.close()
