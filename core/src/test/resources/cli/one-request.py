#!/usr/bin/python3
"""Writes one TCP session with a request, for rules whose header uses configured variables.

usage: one-request.py OUT.pcap
TCP 10.60.0.2:41000 -> 192.0.2.60:8080: handshake, the client sends b'GET /config-check HTTP/1.0\\r\\n\\r\\n',
the server ACKs it, then both close. One millisecond apart.
"""
import sys

from scapy.all import IP, TCP, Ether, Raw, wrpcap

client, server = '10.60.0.2', '192.0.2.60'


def tcp(to_server, flags, seq, ack, data=b''):
    src, dst, sport, dport = (client, server, 41000, 8080) if to_server else (server, client, 8080, 41000)
    frame = (Ether(src='02:00:00:00:00:01', dst='02:00:00:00:00:02') / IP(src=src, dst=dst)
             / TCP(sport=sport, dport=dport, flags=flags, seq=seq, ack=ack))
    return frame / Raw(data) if data else frame


request = b'GET /config-check HTTP/1.0\r\n\r\n'
frames = [tcp(True, 'S', 100, 0), tcp(False, 'SA', 500, 101), tcp(True, 'A', 101, 501),
          tcp(True, 'PA', 101, 501, request), tcp(False, 'A', 501, 101 + len(request)),
          tcp(True, 'FA', 101 + len(request), 501), tcp(False, 'FA', 501, 102 + len(request)),
          tcp(True, 'A', 102 + len(request), 502)]
for i, frame in enumerate(frames):
    frame.time = 1767225600 + i / 1000
wrpcap(sys.argv[1], frames)
