#!/usr/bin/python3
"""Writes chunked uploads whose flow an IPS drops mid-body, for DroppedFlowBodyRulesTest.

usage: dropped-uploads.py OUT.pcap

Each upload is chunked with a chunk size of twenty F's (read as a chunk longer than any stream): only the
flow's end closes the message. The body arrives in three segments, each acknowledged, then both FINs:
  client port 41001: "note=exfil-marker-one\\n", "card=4111111111111111\\n" (a DLP block drops the flow here),
                     "after=late-marker\\n";
  client port 41002: "note=exfil-marker-one\\n", "DROPNOW\\n" (a drop rule drops the flow here),
                     "after=late-marker\\n".
Client port 41003 downloads /report.txt: the response has Content-Length: 60, and its body comes in three
segments, each acknowledged: "part one exfil-marker-two\\n" (26 bytes, with the headers), "DROPNOW\\n" (a drop
rule drops the flow here, 34 body bytes sent), then the last 26 bytes; then both FINs.
"""
import sys

from scapy.all import PcapWriter

from tcp_upload import Connection

CLIENT, SERVER = "10.51.0.2", "192.0.2.51"
HEAD = (b"POST /upload HTTP/1.1\r\nHost: files.example\r\nContent-Type: text/plain\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n" + b"F" * 20 + b"\r\n")


def flow(out, sport, pieces, t):
    connection = Connection(CLIENT, SERVER, sport)
    for piece in pieces:
        connection.send(piece)
    connection.close()
    return connection.write(out, t)


def download(out, sport, t):
    connection = Connection(CLIENT, SERVER, sport)
    request = b"GET /report.txt HTTP/1.1\r\nHost: files.example\r\n\r\n"
    connection.send(request)
    body = [b"part one exfil-marker-two\n", b"DROPNOW\n", b"z" * 25 + b"\n"]
    pieces = [b"HTTP/1.1 200 OK\r\nContent-Length: 60\r\n\r\n" + body[0], body[1], body[2]]
    client_end = connection.next_seq()
    seq = connection.s + 1
    for piece in pieces:
        connection.packets.append(connection.from_server("PA", seq, client_end) / piece)
        seq += len(piece)
        connection.packets.append(connection.from_client("A", client_end, seq))
    connection.packets += [connection.from_client("FA", client_end, seq),
                           connection.from_server("FA", seq, client_end + 1)]
    return connection.write(out, t)


out = PcapWriter(sys.argv[1], linktype=1, sync=False)
t = 1_767_225_600.0
t = flow(out, 41001, [HEAD + b"note=exfil-marker-one\n", b"card=4111111111111111\n", b"after=late-marker\n"], t)
t = flow(out, 41002, [HEAD + b"note=exfil-marker-one\n", b"DROPNOW\n", b"after=late-marker\n"], t)
t = download(out, 41003, t)
out.close()
