#!/usr/bin/python3
"""Writes one TLS 1.3 handshake whose ClientHello offers 70 ALPN names, p00 to p69, and whose ServerHello selects h2.

usage: many-alpn.py OUT.pcap
Client 10.40.0.2:40000, server 192.0.2.40:443; handshake, ClientHello, ServerHello, then FIN both ways.
"""
import struct
import sys

from scapy.all import IP, TCP, Ether, wrpcap


def u16(n):
    return struct.pack('!H', n)


def extension(kind, data):
    return u16(kind) + u16(len(data)) + data


def handshake(kind, body):
    return bytes([kind]) + struct.pack('!I', len(body))[1:] + body


def record(fragment):
    return b'\x16\x03\x01' + u16(len(fragment)) + fragment


names = b''.join(bytes([3]) + b'p%02d' % i for i in range(70))
client_extensions = (extension(0, u16(len(b'many.example') + 3) + b'\x00' + u16(len(b'many.example'))
                               + b'many.example')
                     + extension(16, u16(len(names)) + names)
                     + extension(43, b'\x02\x03\x04'))
client_hello = (u16(0x0303) + bytes(32) + b'\x00' + u16(2) + u16(0x1301) + b'\x01\x00'
                + u16(len(client_extensions)) + client_extensions)
server_extensions = extension(43, b'\x03\x04') + extension(16, u16(3) + b'\x02h2')
server_hello = (u16(0x0303) + bytes([1]) + bytes(31) + b'\x00' + u16(0x1301) + b'\x00'
                + u16(len(server_extensions)) + server_extensions)

client, server = ('10.40.0.2', 40000), ('192.0.2.40', 443)
hello = record(handshake(1, client_hello))
answer = record(handshake(2, server_hello))


def packet(src, dst, flags, seq, ack, data=b''):
    return Ether(src='02:00:00:00:00:01', dst='02:00:00:00:00:02') / IP(src=src[0], dst=dst[0]) / TCP(sport=src[1], dport=dst[1], flags=flags, seq=seq,
                                                      ack=ack) / data


c, s = 1000, 5000
frames = [packet(client, server, 'S', c, 0), packet(server, client, 'SA', s, c + 1),
          packet(client, server, 'A', c + 1, s + 1), packet(client, server, 'PA', c + 1, s + 1, hello),
          packet(server, client, 'A', s + 1, c + 1 + len(hello)),
          packet(server, client, 'PA', s + 1, c + 1 + len(hello), answer),
          packet(client, server, 'A', c + 1 + len(hello), s + 1 + len(answer)),
          packet(client, server, 'FA', c + 1 + len(hello), s + 1 + len(answer)),
          packet(server, client, 'FA', s + 1 + len(answer), c + 2 + len(hello)),
          packet(client, server, 'A', c + 2 + len(hello), s + 2 + len(answer))]
for i, frame in enumerate(frames):
    frame.time = 1767225600 + i / 1000
wrpcap(sys.argv[1], frames)
