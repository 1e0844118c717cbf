#!/usr/bin/python3
"""Writes HTTP uploads whose request bodies lose a segment, for IpsHardeningTest (DLP on a body cut by a hole).

usage: gap-uploads.py OUT.pcap

Each upload: a POST of 22,000 bytes of body, the card at body offset 20,001 between spaces, in segments of 1,448 bytes, each
acknowledged; the 5th data segment is missing from the capture though the server acknowledges it. They end:
client port 43001 with both FINs; 43003 with the client's RST; 43004 (no segment missing) with both FINs;
43002 never (it times out: a SYN of port 43099 comes 7,200 s after it); 43005 never (the capture ends: shutdown).
"""
import sys

from scapy.all import IP, TCP, Ether, PcapWriter

from tcp_upload import Connection

CLIENT, SERVER = "10.50.0.3", "192.0.2.51"
CARD = b"4111 1111 1111 1111"


def upload():
    body = b"x" * 20000 + b" " + CARD + b" " + b"y" * (22000 - 20002 - len(CARD))
    head = b"POST /upload HTTP/1.1\r\nHost: files.example\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n"
    return head % len(body) + body


def flow(out, sport, t, end, missing=4):
    connection = Connection(CLIENT, SERVER, sport)
    connection.send(upload(), missing)
    last = connection.next_seq()
    if end == "fin":
        connection.close()
        connection.packets.append(connection.from_client("A", last + 1, connection.s + 2))
    elif end == "rst":
        connection.packets.append(connection.from_client("R", last))
    return connection.write(out, t)


out = PcapWriter(sys.argv[1], linktype=1, sync=False)
t = 1_767_225_600.0
t = flow(out, 43001, t, "fin")
t = flow(out, 43003, t, "rst")
t = flow(out, 43004, t, "fin", missing=-1)
t = flow(out, 43002, t, "open")
syn = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / IP(src="10.50.0.9", dst=SERVER) / TCP(
    sport=43099, dport=80, flags="S", seq=1)
syn.time = t + 7200
out.write(syn)
flow(out, 43005, t + 7200.001, "open")
out.close()
