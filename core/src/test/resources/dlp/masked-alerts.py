#!/usr/bin/python3
"""Writes packets carrying a shared test card number for DlpMaskedLinesTest, and prints what the EVE lines
must hold, computed here: the card is the first 16-digit Luhn-valid row of the shared list.

usage: masked-alerts.py CARDS.csv OUT.pcap

Prints one JSON object: the card, the strings that would betray it (digits, dashed, base64 at the three
alignments; hex apart), and for the UDP packet the payload and packet in base64 as sent and with the card's
digits masked.

Client port 40001: UDP, the card first in the payload, after a UDP checksum of 0x3535 ("55"), so that read
with its headers the payload's first word is 18 digits. 40002: HTTP GET with the card, dashed, in the query.
40003: TCP (not HTTP) with the card in spaced groups, never closed (inspected at the end of the run).
"""
import base64
import csv
import json
import sys

from scapy.all import IP, TCP, UDP, Ether, PcapWriter

with open(sys.argv[1], newline="") as f:
    card = next(r["pan"] for r in csv.DictReader(f) if r["luhn_valid"] == "true" and r["digits"] == "16")
digits = card.encode()
dashed = b"-".join(digits[i:i + 4] for i in range(0, 16, 4))
spaced = b" ".join(digits[i:i + 4] for i in range(0, 16, 4))

CLIENT, SERVER = "10.70.0.2", "192.0.2.70"
e = lambda: Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
out = PcapWriter(sys.argv[2], linktype=1, sync=False)
t = 1_767_225_600.0


def write(packet):
    global t
    packet.time = t
    t += 0.0001
    out.write(packet)


udp_payload = digits + b" exp 12/30"
udp = e() / IP(src=CLIENT, dst=SERVER, id=7) / UDP(sport=40001, dport=9999, chksum=0x3535) / udp_payload
raw = bytes(udp)
write(udp)


def tcp_flow(sport, dport, data, close):
    c, s = 1000, 9000
    write(e() / IP(src=CLIENT, dst=SERVER) / TCP(sport=sport, dport=dport, flags="S", seq=c))
    write(e() / IP(src=SERVER, dst=CLIENT) / TCP(sport=dport, dport=sport, flags="SA", seq=s, ack=c + 1))
    write(e() / IP(src=CLIENT, dst=SERVER) / TCP(sport=sport, dport=dport, flags="A", seq=c + 1, ack=s + 1))
    write(e() / IP(src=CLIENT, dst=SERVER) / TCP(sport=sport, dport=dport, flags="PA", seq=c + 1, ack=s + 1) / data)
    write(e() / IP(src=SERVER, dst=CLIENT) / TCP(sport=dport, dport=sport, flags="A", seq=s + 1, ack=c + 1 + len(data)))
    if close:
        write(e() / IP(src=CLIENT, dst=SERVER) / TCP(sport=sport, dport=dport, flags="FA", seq=c + 1 + len(data),
                                                     ack=s + 1))
        write(e() / IP(src=SERVER, dst=CLIENT) / TCP(sport=dport, dport=sport, flags="FA", seq=s + 1,
                                                     ack=c + 2 + len(data)))


tcp_flow(40002, 80, b"GET /pay?card=" + dashed + b" HTTP/1.1\r\nHost: shop.example\r\n\r\n", True)
tcp_flow(40003, 7000, b"acct " + spaced + b" end\n", False)
out.close()


def b64(b):
    return base64.b64encode(b).decode()


# Any three consecutive bytes of the card start a base64 group at one of three alignments: the full groups of
# the card from byte 0, 1 and 2 are what base64 of any text holding it must contain.
needles = [card, dashed.decode(), spaced.decode()]
for skip in range(3):
    rest = digits[skip:]
    needles.append(b64(rest[:len(rest) // 3 * 3]))

masked = lambda b: b.replace(digits, b"*" * 16)
print(json.dumps({
    "card": card,
    "needles": needles,
    "hex_needles": [digits.hex(), digits.hex().upper()],
    "payload_clear": b64(udp_payload),
    "payload_masked": b64(masked(udp_payload)),
    "printable_masked": masked(udp_payload).decode(),
    "packet_clear": b64(raw),
    "packet_masked": b64(masked(raw)),
}))
