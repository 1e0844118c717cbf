#!/usr/bin/python3
"""Writes chunked uploads whose flow an IPS drops mid-body, for DroppedFlowBodyRulesTest.

usage: dropped-uploads.py OUT.pcap

Each request is chunked with a chunk size of twenty F's (read as a chunk longer than any stream): only the
flow's end closes the message. The body arrives in three segments, each acknowledged, then both FINs:
  client port 41001: "note=exfil-marker-one\\n", "card=4111111111111111\\n" (a DLP block drops the flow here),
                     "after=late-marker\\n";
  client port 41002: "note=exfil-marker-one\\n", "DROPNOW\\n" (a drop rule drops the flow here),
                     "after=late-marker\\n".
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


out = PcapWriter(sys.argv[1], linktype=1, sync=False)
t = 1_767_225_600.0
t = flow(out, 41001, [HEAD + b"note=exfil-marker-one\n", b"card=4111111111111111\n", b"after=late-marker\n"], t)
t = flow(out, 41002, [HEAD + b"note=exfil-marker-one\n", b"DROPNOW\n", b"after=late-marker\n"], t)
out.close()
