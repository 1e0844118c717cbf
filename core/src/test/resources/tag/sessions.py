#!/usr/bin/python3
"""Writes TCP sessions for session tags: in each, one client packet carries a mark (its IP TTL) a rule alerts on.

usage: sessions.py OUT.pcap
Every session runs 10.52.0.N:4300N <-> 192.0.2.52:80 in 9 packets: 1 SYN, 2 SYN/ACK, 3 ACK, 4 client 'one' (the
marked packet), 5 server ACK, 6 server 'two', 7 client ACK, 8 client 'three', 9 client FIN/ACK.
Session 1 (10.52.0.1, TTL 77 on packet 4), times 0.1 s apart from 1767225600.
Session 2 (10.52.0.2, no mark), times as session 1.
Session 3 (10.52.0.3, TTL 78 on packet 4), packets 4..9 at 1767225700 + 0.7, 1.2, 2.0, 2.9, 3.1, 3.5 s.
Session 4 (10.52.0.4, TTL 79 on packet 4), with 46 bytes of data in each data packet: frames of 100 bytes with data,
54 without (Ethernet, IPv4, TCP without options); 0.1 s apart from 1767225800.
"""
import sys

from scapy.all import IP, TCP, Ether, Raw, wrpcap

server = '192.0.2.52'


def session(n, mark, data, times):
    client, sport = '10.52.0.%d' % n, 43000 + n

    def tcp(to_server, flags, seq, ack, payload=b'', ttl=64):
        src, dst, sp, dp = (client, server, sport, 80) if to_server else (server, client, 80, sport)
        frame = (Ether(src='02:00:00:00:00:01', dst='02:00:00:00:00:02') / IP(src=src, dst=dst, ttl=ttl)
                 / TCP(sport=sp, dport=dp, flags=flags, seq=seq, ack=ack))
        return frame / Raw(payload) if payload else frame

    one, two, three = data
    c, s = 1001, 5001
    frames = [tcp(True, 'S', c - 1, 0), tcp(False, 'SA', s - 1, c), tcp(True, 'A', c, s),
              tcp(True, 'PA', c, s, one, mark), tcp(False, 'A', s, c + len(one)),
              tcp(False, 'PA', s, c + len(one), two), tcp(True, 'A', c + len(one), s + len(two)),
              tcp(True, 'PA', c + len(one), s + len(two), three),
              tcp(True, 'FA', c + len(one) + len(three), s + len(two))]
    for frame, time in zip(frames, times):
        frame.time = time
    return frames


tenth = [i / 10 for i in range(9)]
short = (b'one', b'two', b'three')
frames = (session(1, 77, short, [1767225600 + t for t in tenth])
          + session(2, 64, short, [1767225650 + t for t in tenth])
          + session(3, 78, short, [1767225700 + t for t in (0.1, 0.2, 0.3, 0.7, 1.2, 2.0, 2.9, 3.1, 3.5)])
          + session(4, 79, (b'o' * 46, b't' * 46, b'h' * 46), [1767225800 + t for t in tenth]))
wrpcap(sys.argv[1], frames)
