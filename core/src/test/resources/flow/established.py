#!/usr/bin/python3
"""Writes a TCP session and a UDP exchange whose packets all fit in one burst, for flow:established.

usage: established.py OUT.pcap
TCP 10.50.0.2:41000 -> 192.0.2.50:80: 1 SYN, 2 SYN/ACK, 3 ACK, 4 client data, 5 server ACK, 6 client FIN,
7 server FIN, 8 client ACK. UDP 10.50.0.2:41001 -> 192.0.2.50:53: 9 query, 10 answer. One millisecond apart.
"""
import sys

from scapy.all import IP, TCP, UDP, Ether, Raw, wrpcap

client, server = '10.50.0.2', '192.0.2.50'


def tcp(to_server, flags, seq, ack, data=b''):
    src, dst, sport, dport = (client, server, 41000, 80) if to_server else (server, client, 80, 41000)
    frame = (Ether(src='02:00:00:00:00:01', dst='02:00:00:00:00:02') / IP(src=src, dst=dst)
             / TCP(sport=sport, dport=dport, flags=flags, seq=seq, ack=ack))
    return frame / Raw(data) if data else frame


def udp(to_server, data):
    src, dst, sport, dport = (client, server, 41001, 53) if to_server else (server, client, 53, 41001)
    return (Ether(src='02:00:00:00:00:01', dst='02:00:00:00:00:02') / IP(src=src, dst=dst)
            / UDP(sport=sport, dport=dport) / Raw(data))


request = b'hello'
frames = [tcp(True, 'S', 100, 0), tcp(False, 'SA', 500, 101), tcp(True, 'A', 101, 501),
          tcp(True, 'PA', 101, 501, request), tcp(False, 'A', 501, 101 + len(request)),
          tcp(True, 'FA', 101 + len(request), 501), tcp(False, 'FA', 501, 102 + len(request)),
          tcp(True, 'A', 102 + len(request), 502),
          udp(True, b'query'), udp(False, b'answer')]
for i, frame in enumerate(frames):
    frame.time = 1767225600 + i / 1000
wrpcap(sys.argv[1], frames)
