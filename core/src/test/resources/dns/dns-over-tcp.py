#!/usr/bin/python3
"""Writes DNS over TCP flows for DnsOverTcpInspectionTest and prints, as JSON, what tshark reads in them.

usage: dns-over-tcp.py OUT.pcap

Client port 7301: a query for tcp1.example whose two-byte length prefix travels alone in the first segment
and whose message follows in a second, then the answer (192.0.2.99) in one segment. Client port 7302: two
queries (two.example, three.example) in one segment and their answers in one segment.
"""
import json
import subprocess
import sys

from scapy.all import DNS, DNSQR, DNSRR, IP, TCP, Ether, PcapWriter

CLIENT, SERVER = "10.90.0.2", "192.0.2.53"
out = PcapWriter(sys.argv[1], linktype=1, sync=False)
t = [1_767_225_600.0]


def write(packet):
    packet.time = t[0]
    t[0] += 0.0001
    out.write(packet)


def framed(message):
    raw = bytes(message)
    return len(raw).to_bytes(2, "big") + raw


def flow(sport, requests, responses):
    e = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
    c, s = 1000, 9000
    write(e / IP(src=CLIENT, dst=SERVER) / TCP(sport=sport, dport=53, flags="S", seq=c))
    c += 1
    write(e / IP(src=SERVER, dst=CLIENT) / TCP(sport=53, dport=sport, flags="SA", seq=s, ack=c))
    s += 1
    write(e / IP(src=CLIENT, dst=SERVER) / TCP(sport=sport, dport=53, flags="A", seq=c, ack=s))
    for data in requests:
        write(e / IP(src=CLIENT, dst=SERVER) / TCP(sport=sport, dport=53, flags="PA", seq=c, ack=s) / data)
        c += len(data)
        write(e / IP(src=SERVER, dst=CLIENT) / TCP(sport=53, dport=sport, flags="A", seq=s, ack=c))
    for data in responses:
        write(e / IP(src=SERVER, dst=CLIENT) / TCP(sport=53, dport=sport, flags="PA", seq=s, ack=c) / data)
        s += len(data)
        write(e / IP(src=CLIENT, dst=SERVER) / TCP(sport=sport, dport=53, flags="A", seq=c, ack=s))
    write(e / IP(src=CLIENT, dst=SERVER) / TCP(sport=sport, dport=53, flags="FA", seq=c, ack=s))
    write(e / IP(src=SERVER, dst=CLIENT) / TCP(sport=53, dport=sport, flags="FA", seq=s, ack=c + 1))
    write(e / IP(src=CLIENT, dst=SERVER) / TCP(sport=sport, dport=53, flags="A", seq=c + 1, ack=s + 1))


def query(qid, name):
    return DNS(id=qid, rd=1, qd=DNSQR(qname=name, qtype="A"))


def answer(qid, name, address):
    return DNS(id=qid, qr=1, rd=1, ra=1, qd=DNSQR(qname=name, qtype="A"),
               an=DNSRR(rrname=name, type="A", ttl=60, rdata=address))


q1 = framed(query(0x1111, "tcp1.example"))
flow(7301, [q1[:2], q1[2:]], [framed(answer(0x1111, "tcp1.example", "192.0.2.99"))])
flow(7302, [framed(query(0x2222, "two.example")) + framed(query(0x3333, "three.example"))],
     [framed(answer(0x2222, "two.example", "192.0.2.2")) + framed(answer(0x3333, "three.example", "192.0.2.3"))])
out.close()

# What tshark decodes: each DNS message's id, whether it is a response, and its query name, in capture order.
fields = subprocess.run(["tshark", "-r", sys.argv[1], "-Y", "dns", "-T", "fields", "-E", "occurrence=a",
                         "-E", "aggregator=,", "-e", "dns.id", "-e", "dns.flags.response", "-e", "dns.qry.name"],
                        capture_output=True, text=True, check=True).stdout
messages = []
for line in fields.splitlines():
    ids, responses, names = line.split("\t")
    for qid, response, name in zip(ids.split(","), responses.split(","), names.split(",")):
        messages.append({"id": int(qid, 16), "response": response in ("1", "True"), "rrname": name})
print(json.dumps({"messages": messages}))
