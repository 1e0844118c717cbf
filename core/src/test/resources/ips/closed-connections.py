#!/usr/bin/python3
"""Writes 4,200 HTTP connections, one after the other, each opened, used and closed (both FINs acknowledged):
the request carries 'SPLIT-' cut across two segments, so only reassembly finds it. For
ClosedConnectionStreamsTest: more connections than a worker has streams. usage: closed-connections.py OUT"""
import sys

from scapy.all import IP, TCP, Ether, PcapWriter

out, count = PcapWriter(sys.argv[1], linktype=1, sync=False), 4200
e = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
S = "192.0.2.80"
t = 1_767_225_600.0
response = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
for i in range(count):
    c = "10.80.%d.%d" % (i >> 8, i & 255)
    first = b"GET /c%d HTTP/1.1\r\nHost: closed.example\r\nX-Mark: SPL" % i
    second = b"IT-%05d\r\n\r\n" % i
    a, b = 1000, 9000
    cs = dict(src=c, dst=S)
    sc = dict(src=S, dst=c)
    end = a + 1 + len(first) + len(second)
    for ip, flags, seq, ack, data in [
        (cs, "S", a, 0, b""),
        (sc, "SA", b, a + 1, b""),
        (cs, "A", a + 1, b + 1, b""),
        (cs, "PA", a + 1, b + 1, first),
        (cs, "PA", a + 1 + len(first), b + 1, second),
        (sc, "PA", b + 1, end, response),
        (cs, "FA", end, b + 1 + len(response), b""),
        (sc, "FA", b + 1 + len(response), end + 1, b""),
        (cs, "A", end + 1, b + 2 + len(response), b""),
    ]:
        sport, dport = (40000, 80) if ip is cs else (80, 40000)
        p = e / IP(**ip) / TCP(sport=sport, dport=dport, flags=flags, seq=seq, ack=ack) / data
        p.time = t
        t += 0.0001
        out.write(p)
out.close()
