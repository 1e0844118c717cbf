#!/usr/bin/python3
"""Writes flows with traffic both ways, for the direction of alerts.

usage: directions.py OUT.pcap
TCP 10.51.0.2:42000 -> 192.0.2.51:80: 1 SYN, 2 SYN/ACK, 3 ACK, 4 client HTTP request for /ping-request, 5 server
ACK and response (Server: pong-reply), 6 client ACK, 7 client start of a request for /tail-bytes never acknowledged
(inspected when the flow ends).
TCP 10.51.0.3:42001 -> 192.0.2.51:80: 8 SYN, 9 SYN/ACK, 10 ACK, 11 server 'server-tail' never acknowledged.
UDP 10.51.0.2:42002 -> 192.0.2.51:53: 12 'udp-ask', 13 'udp-say'. One millisecond apart.
"""
import sys

from scapy.all import IP, TCP, UDP, Ether, Raw, wrpcap

server = '192.0.2.51'


def tcp(client, sport, to_server, flags, seq, ack, data=b''):
    src, dst, sp, dp = (client, server, sport, 80) if to_server else (server, client, 80, sport)
    frame = (Ether(src='02:00:00:00:00:01', dst='02:00:00:00:00:02') / IP(src=src, dst=dst)
             / TCP(sport=sp, dport=dp, flags=flags, seq=seq, ack=ack))
    return frame / Raw(data) if data else frame


def udp(to_server, data):
    src, dst, sport, dport = ('10.51.0.2', server, 42002, 53) if to_server else (server, '10.51.0.2', 53, 42002)
    return (Ether(src='02:00:00:00:00:01', dst='02:00:00:00:00:02') / IP(src=src, dst=dst)
            / UDP(sport=sport, dport=dport) / Raw(data))


a, b = '10.51.0.2', '10.51.0.3'
ping = b'GET /ping-request HTTP/1.1\r\nHost: a\r\n\r\n'
pong = b'HTTP/1.1 200 OK\r\nServer: pong-reply\r\nContent-Length: 0\r\n\r\n'
tail = b'GET /tail-bytes HTTP/1.1\r\n'
frames = [tcp(a, 42000, True, 'S', 100, 0), tcp(a, 42000, False, 'SA', 500, 101),
          tcp(a, 42000, True, 'A', 101, 501), tcp(a, 42000, True, 'PA', 101, 501, ping),
          tcp(a, 42000, False, 'PA', 501, 101 + len(ping), pong),
          tcp(a, 42000, True, 'A', 101 + len(ping), 501 + len(pong)),
          tcp(a, 42000, True, 'PA', 101 + len(ping), 501 + len(pong), tail),
          tcp(b, 42001, True, 'S', 100, 0), tcp(b, 42001, False, 'SA', 500, 101), tcp(b, 42001, True, 'A', 101, 501),
          tcp(b, 42001, False, 'PA', 501, 101, b'server-tail'),
          udp(True, b'udp-ask'), udp(False, b'udp-say')]
for i, frame in enumerate(frames):
    frame.time = 1767225600 + i / 1000
wrpcap(sys.argv[1], frames)
