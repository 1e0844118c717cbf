#!/usr/bin/python3
"""Writes packets for host tags: one packet per part carries a mark (its IP TTL) a rule alerts on; the other packets
go from or to the marked packet's hosts, or between other hosts, in other flows.

usage: hosts.py OUT.pcap
Part 1, 0.1 s apart from 1767226000 (A 10.53.0.1, B 192.0.2.53, C 10.53.0.2, D 198.51.100.7):
  1 A:40001 -> B:7007 UDP, TTL 77 (the mark)   2 B:7007 -> A:40001 UDP (the reply)
  3 A:40002 -> D:80 TCP SYN                  4 C:40003 -> D:80 UDP
  5 D:80 -> A:40002 TCP SYN/ACK              6 C:40004 -> B:7007 UDP
  7 A:40005 -> C:9 UDP                       8 A:40006 -> D:443 UDP
Part 2, 0.1 s apart from 1767226100 (E 10.54.0.1, F 192.0.2.54, G 198.51.100.8), UDP frames of 100 bytes
(Ethernet 14, IPv4 20, UDP 8, 58 bytes of data):
  9 E -> F, TTL 78 (the mark)   10 E -> G   11 F -> E   12 E -> G   13 E -> G
Part 3 (H 10.55.0.1, J 192.0.2.55), UDP H -> J at 1767226200 + 0.7 (TTL 79, the mark), 1.2, 2.0, 2.9, 3.1, 3.5 s:
  frames 14 to 19.
Part 4, 0.1 s apart from 1767226300 (K 10.57.0.1, L 192.0.2.57, M 198.51.100.9, N 198.51.100.10; inside GRE
10.99.0.1 and 10.99.0.2):
  20 K -> L UDP, TTL 81 (the mark)
  21 GRE K -> M carrying UDP 10.99.0.1 -> 10.99.0.2
  22 GRE N -> M carrying UDP 10.99.0.1 -> 10.99.0.2
  23 GRE N -> M carrying UDP K -> 10.99.0.2
"""
import sys

from scapy.all import GRE, IP, TCP, UDP, Ether, Raw, wrpcap


def frame(src, dst, l4, time, ttl=64, data=b''):
    packet = Ether(src='02:00:00:00:00:01', dst='02:00:00:00:00:02') / IP(src=src, dst=dst, ttl=ttl) / l4
    if data:
        packet = packet / Raw(data)
    packet.time = time
    return packet


A, B, C, D = '10.53.0.1', '192.0.2.53', '10.53.0.2', '198.51.100.7'
t = 1767226000
part1 = [frame(A, B, UDP(sport=40001, dport=7007), t + 0.0, ttl=77, data=b'query'),
         frame(B, A, UDP(sport=7007, dport=40001), t + 0.1, data=b'answer'),
         frame(A, D, TCP(sport=40002, dport=80, flags='S', seq=1000), t + 0.2),
         frame(C, D, UDP(sport=40003, dport=80), t + 0.3, data=b'other'),
         frame(D, A, TCP(sport=80, dport=40002, flags='SA', seq=5000, ack=1001), t + 0.4),
         frame(C, B, UDP(sport=40004, dport=7007), t + 0.5, data=b'query'),
         frame(A, C, UDP(sport=40005, dport=9), t + 0.6, data=b'discard'),
         frame(A, D, UDP(sport=40006, dport=443), t + 0.7, data=b'late')]

E, F, G = '10.54.0.1', '192.0.2.54', '198.51.100.8'
t = 1767226100
data = b'b' * 58
part2 = [frame(E, F, UDP(sport=41001, dport=7007), t + 0.0, ttl=78, data=data),
         frame(E, G, UDP(sport=41002, dport=7007), t + 0.1, data=data),
         frame(F, E, UDP(sport=7007, dport=41001), t + 0.2, data=data),
         frame(E, G, UDP(sport=41002, dport=7007), t + 0.3, data=data),
         frame(E, G, UDP(sport=41002, dport=7007), t + 0.4, data=data)]

H, J = '10.55.0.1', '192.0.2.55'
t = 1767226200
part3 = [frame(H, J, UDP(sport=42001, dport=7007), t + offset, ttl=79 if 0 == i else 64, data=b'tick')
         for i, offset in enumerate((0.7, 1.2, 2.0, 2.9, 3.1, 3.5))]

K, L, M, N = '10.57.0.1', '192.0.2.57', '198.51.100.9', '198.51.100.10'
t = 1767226300


def gre(outer_src, inner_src, time):
    inner = IP(src=inner_src, dst='10.99.0.2') / UDP(sport=43001, dport=7007) / Raw(b'inner')
    return frame(outer_src, M, GRE() / inner, time)


part4 = [frame(K, L, UDP(sport=43000, dport=7007), t + 0.0, ttl=81, data=b'mark'),
         gre(K, '10.99.0.1', t + 0.1), gre(N, '10.99.0.1', t + 0.2), gre(N, K, t + 0.3)]

wrpcap(sys.argv[1], part1 + part2 + part3 + part4)
