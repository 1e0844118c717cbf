#!/usr/bin/python3
"""Writes two TLS flows whose handshakes the server's Certificate never completes.

usage: unfinished.py OUT.pcap
10.70.0.2:42000 -> 192.0.2.70:443, a resumed TLS 1.2 session: ClientHello (session id 0x11 * 32, SNI
resumed.example, ALPN h2 and http/1.1), ServerHello (the same session id, ALPN h2), ChangeCipherSpec and an
encrypted Finished each way, then FIN both ways.
10.70.0.3:42001 -> 192.0.2.70:443: a ClientHello (SNI nobody.example) the server never answers, then FIN both ways.
"""
import struct
import sys

from scapy.all import IP, TCP, Ether, Raw, wrpcap


def u16(n):
    return struct.pack('!H', n)


def extension(kind, data):
    return u16(kind) + u16(len(data)) + data


def handshake(kind, body):
    return bytes([kind]) + struct.pack('!I', len(body))[1:] + body


def record(kind, fragment):
    return bytes([kind]) + b'\x03\x03' + u16(len(fragment)) + fragment


def client_hello(host, session):
    name = host.encode()
    alpn = b'\x02h2\x08http/1.1'
    extensions = (extension(0, u16(len(name) + 3) + b'\x00' + u16(len(name)) + name)
                  + extension(16, u16(len(alpn)) + alpn))
    body = (u16(0x0303) + bytes(32) + bytes([len(session)]) + session + u16(2) + u16(0xc02f) + b'\x01\x00'
            + u16(len(extensions)) + extensions)
    return record(22, handshake(1, body))


def server_hello(session):
    extensions = extension(16, u16(3) + b'\x02h2')
    body = (u16(0x0303) + bytes([2]) + bytes(31) + bytes([len(session)]) + session + u16(0xc02f) + b'\x00'
            + u16(len(extensions)) + extensions)
    return record(22, handshake(2, body))


frames = []


def flow(client, sport, to_server, to_client):
    """Handshake, then the client's and the server's records in turn, each acknowledged, then FIN both ways."""
    server = '192.0.2.70'
    c, s = 1000, 9000

    def packet(from_client, flags, data=b''):
        src, dst, a, b = (client, server, sport, 443) if from_client else (server, client, 443, sport)
        seq, ack = (c, s) if from_client else (s, c)
        frame = Ether(src='02:00:00:00:00:01', dst='02:00:00:00:00:02') / IP(src=src, dst=dst) / TCP(
            sport=a, dport=b, flags=flags, seq=seq, ack=ack if 'A' in flags else 0)
        return frame / Raw(data) if data else frame

    frames.append(packet(True, 'S'))
    c += 1
    frames.append(packet(False, 'SA'))
    s += 1
    frames.append(packet(True, 'A'))
    for i in range(max(len(to_server), len(to_client))):
        if i < len(to_server):
            frames.append(packet(True, 'PA', to_server[i]))
            c += len(to_server[i])
            frames.append(packet(False, 'A'))
        if i < len(to_client):
            frames.append(packet(False, 'PA', to_client[i]))
            s += len(to_client[i])
            frames.append(packet(True, 'A'))
    frames.append(packet(True, 'FA'))
    c += 1
    frames.append(packet(False, 'FA'))
    s += 1
    frames.append(packet(True, 'A'))


session = b'\x11' * 32
change = record(20, b'\x01')
finished = record(22, bytes(range(40)))
flow('10.70.0.2', 42000, [client_hello('resumed.example', session), change + finished],
     [server_hello(session) + change + finished])
flow('10.70.0.3', 42001, [client_hello('nobody.example', b'')], [])
for i, frame in enumerate(frames):
    frame.time = 1767225600 + i / 1000
wrpcap(sys.argv[1], frames)
