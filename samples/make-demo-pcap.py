#!/usr/bin/python3
"""Writes samples/pop-demo.pcap: the bundled traffic the README quick start runs through the engine.

A PoP's day in miniature, one or more packets of every kind the parser handles: TCP sessions in both
directions, DNS over UDP, ICMP echo and an ICMP error, 802.1Q and QinQ tenants, MPLS, IPv6 with extension
headers, IPv4 and IPv6 fragments, IP-in-IP, GRE with a key, VXLAN, GENEVE, ARP, SCTP, a malformed packet
and a snap-truncated one. Deterministic: run it again and the file is identical.

Needs scapy (Debian: python3-scapy): /usr/bin/python3 samples/make-demo-pcap.py
"""
import os
import struct

from scapy.all import (ARP, DNS, DNSQR, GRE, ICMP, IP, IPv6, IPv6ExtHdrDestOpt, IPv6ExtHdrFragment,
                       IPv6ExtHdrHopByHop, IPv6ExtHdrRouting, SCTP, TCP, UDP, VXLAN, Dot1AD, Dot1Q, Ether,
                       ICMPv6EchoRequest, ICMPv6EchoReply, Raw, fragment, wrpcap)
from scapy.contrib.geneve import GENEVE
from scapy.contrib.mpls import MPLS

BRANCH = "02:00:00:00:00:01"
POP = "02:00:00:00:00:02"
T0 = 1_767_225_600  # 2026-01-01T00:00:00Z


def tcp_session(client, server, sport, dport, request, response, ether=lambda: Ether(src=BRANCH, dst=POP)):
    """A complete TCP exchange: handshake, one request, one response, orderly close."""
    c, s = 1000, 5000
    out = [
        ether() / IP(src=client, dst=server) / TCP(sport=sport, dport=dport, flags="S", seq=c),
        ether() / IP(src=server, dst=client) / TCP(sport=dport, dport=sport, flags="SA", seq=s, ack=c + 1),
        ether() / IP(src=client, dst=server) / TCP(sport=sport, dport=dport, flags="A", seq=c + 1, ack=s + 1),
        ether() / IP(src=client, dst=server) / TCP(sport=sport, dport=dport, flags="PA", seq=c + 1, ack=s + 1)
        / Raw(request),
        ether() / IP(src=server, dst=client) / TCP(sport=dport, dport=sport, flags="PA", seq=s + 1,
                                                  ack=c + 1 + len(request)) / Raw(response),
        ether() / IP(src=client, dst=server) / TCP(sport=sport, dport=dport, flags="FA", seq=c + 1 + len(request),
                                                  ack=s + 1 + len(response)),
        ether() / IP(src=server, dst=client) / TCP(sport=dport, dport=sport, flags="FA", seq=s + 1 + len(response),
                                                  ack=c + 2 + len(request)),
    ]
    return out


def packets():
    out = []
    http = b"GET / HTTP/1.1\r\nHost: intranet.example\r\n\r\n"
    ok = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
    out += tcp_session("10.1.0.10", "192.0.2.80", 40000, 80, http, ok)
    out += tcp_session("10.1.0.11", "192.0.2.80", 40001, 80, http, ok)
    # Two tenants with overlapping addresses, told apart by their VLAN and QinQ tags.
    out += tcp_session("10.9.0.5", "198.51.100.7", 41000, 443, b"\x16\x03\x01hello", b"\x16\x03\x03hi",
                       ether=lambda: Ether(src=BRANCH, dst=POP) / Dot1Q(vlan=100))
    out += tcp_session("10.9.0.5", "198.51.100.7", 41000, 443, b"\x16\x03\x01hello", b"\x16\x03\x03hi",
                       ether=lambda: Ether(src=BRANCH, dst=POP) / Dot1AD(vlan=20) / Dot1Q(vlan=200))
    eth = Ether(src=BRANCH, dst=POP)
    back = Ether(src=POP, dst=BRANCH)
    out += [
        eth / IP(src="10.1.0.10", dst="10.1.0.1") / UDP(sport=53000, dport=53) / DNS(rd=1, qd=DNSQR(qname="pop.example")),
        back / IP(src="10.1.0.1", dst="10.1.0.10") / UDP(sport=53, dport=53000) / DNS(qr=1, qd=DNSQR(qname="pop.example")),
        eth / IP(src="10.1.0.10", dst="192.0.2.1") / ICMP(type=8, id=7, seq=1) / Raw(b"ping"),
        back / IP(src="192.0.2.1", dst="10.1.0.10") / ICMP(type=0, id=7, seq=1) / Raw(b"ping"),
        back / IP(src="192.0.2.254", dst="10.1.0.10") / ICMP(type=3, code=4)
        / IP(src="10.1.0.10", dst="192.0.2.99", flags="DF") / UDP(sport=33434, dport=33435),
        eth / ARP(op=1, psrc="10.1.0.10", pdst="10.1.0.1", hwsrc=BRANCH),
        eth / IP(src="10.1.0.10", dst="192.0.2.132") / SCTP(sport=2905, dport=2905),
        Ether(src=BRANCH, dst=POP, type=0x8847) / MPLS(label=16, s=0) / MPLS(label=1001, s=1)
        / IP(src="172.16.0.1", dst="172.16.0.2") / UDP(sport=5000, dport=5001) / Raw(b"mpls"),
        eth / IPv6(src="2001:db8:1::10", dst="2001:db8:2::20") / IPv6ExtHdrHopByHop() / IPv6ExtHdrDestOpt()
        / TCP(sport=50000, dport=443, flags="S"),
        eth / IPv6(src="2001:db8:1::10", dst="2001:db8:2::20") / IPv6ExtHdrRouting(addresses=["2001:db8:ffff::1"])
        / UDP(sport=50001, dport=4433) / Raw(b"quic?"),
        eth / IPv6(src="2001:db8:1::10", dst="2001:db8:2::20") / ICMPv6EchoRequest(id=9, seq=1),
        Ether(src=POP, dst=BRANCH) / IPv6(src="2001:db8:2::20", dst="2001:db8:1::10") / ICMPv6EchoReply(id=9, seq=1),
        eth / IP(src="203.0.113.1", dst="203.0.113.2") / IP(src="10.2.0.1", dst="10.3.0.1") / UDP(sport=1, dport=2),
        eth / IP(src="203.0.113.1", dst="203.0.113.2") / IPv6(src="2001:db8:a::1", dst="2001:db8:b::1") / UDP(sport=3, dport=4),
        eth / IP(src="203.0.113.1", dst="203.0.113.3") / GRE(key_present=1, key=42) / IP(src="10.4.0.1", dst="10.5.0.1")
        / TCP(sport=1234, dport=22, flags="S"),
        eth / IP(src="203.0.113.1", dst="203.0.113.4") / UDP(sport=49152, dport=4789) / VXLAN(vni=5001)
        / Ether(src="02:00:00:00:01:01", dst="02:00:00:00:01:02") / IP(src="10.6.0.1", dst="10.7.0.1") / TCP(sport=5555, dport=80, flags="S"),
        eth / IP(src="203.0.113.1", dst="203.0.113.5") / UDP(sport=49153, dport=6081) / GENEVE(vni=7001, proto=0x6558)
        / Ether(src="02:00:00:00:02:01", dst="02:00:00:00:02:02") / IP(src="10.8.0.1", dst="10.9.0.1") / UDP(sport=6666, dport=53),
    ]
    big = eth / IP(src="10.1.0.10", dst="192.0.2.80", id=4242) / UDP(sport=40010, dport=9000) / Raw(b"f" * 3000)
    out += fragment(big, fragsize=1400)
    v6big = eth / IPv6(src="2001:db8:1::10", dst="2001:db8:2::20") / IPv6ExtHdrFragment(id=77) / UDP(sport=40011, dport=9001) / Raw(b"g" * 2000)
    out += fragment6_simple(v6big)
    # Malformed: IPv4 header length 4 (16 bytes), below the minimum of 5.
    bad = bytes(eth / IP(src="10.1.0.10", dst="192.0.2.80") / UDP(sport=1, dport=2))
    out.append(Ether(bad[:14] + bytes([0x44]) + bad[15:]))
    return out


def fragment6_simple(packet):
    """Splits an IPv6 packet with a fragment header into two fragments without scapy's checksum quirks."""
    from scapy.all import fragment6
    return fragment6(packet, 1280)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    target = os.path.join(here, "pop-demo.pcap")
    frames = packets()
    for i, frame in enumerate(frames):
        frame.time = T0 + i * 0.001
    wrpcap(target, frames)
    # One more record, cut by a snap length: a 200-byte frame of which the capture kept 64 bytes.
    cut = bytes(Ether(src=BRANCH, dst=POP) / IP(src="10.1.0.12", dst="192.0.2.80") / TCP(sport=40002, dport=80, flags="PA")
                / Raw(b"x" * 146))
    with open(target, "ab") as f:
        f.write(struct.pack("<IIII", T0, len(frames) * 1000, 64, len(cut)))
        f.write(cut[:64])
    print(f"{target}: {len(frames) + 1} packets")


if __name__ == "__main__":
    main()
