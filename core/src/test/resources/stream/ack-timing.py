#!/usr/bin/python3
"""Writes one TCP flow for a stream-inspection timing scenario, and beside it what scapy says its alert carries.

usage: ack-timing.py OUT.pcap SCENARIO
  unacked         the client's 19-byte marker segment is never acknowledged (VLAN 77)
  acked           the server acknowledges it, then the client sends a pure ACK
  acked-chunk     three 1,000-byte segments, the marker in the first, acknowledged, then a pure ACK from the client
  closed          the acknowledged marker segment, then FIN, FIN-ACK and the client's last ACK
  http            an HTTP request holding the marker, acknowledged, then a pure ACK from the client
  server-unacked  the server's marker answer is never acknowledged; the client's request is
  split           2,600 bytes ending in "ATTA" acknowledged and inspected on the client's next segment, whose
                  "CK-MARKER" is never acknowledged
  bulk            40 client segments of 1,000 bytes, none acknowledged, the marker in the first
  long            3,200 bytes of "A" in segments of 1,400, 1,400 and 400, each acknowledged: the first 2,800 are
                  due and inspected on the third segment, the last 400 at the flow's end
  idle            the unacked marker flow (no VLAN), then a SYN of another flow 7,200 s later: the first flow
                  times out while the second is looked up, in the same burst
  evicted         the unacked marker flow (no VLAN), then 40 one-packet UDP flows from 10.9.0.1..40:1001..1040 to
                  10.0.0.9:53: a 16-flow table evicts the marker flow for one of them

OUT.expect.json holds base64 of the packet the alert should carry: "pseudo" (the end-of-flow pseudo packet,
IP and TCP headers only) or "frame" (the captured frame, link header included).
"""
import base64
import json
import sys

from scapy.all import IP, TCP, UDP, Dot1Q, Ether, raw, wrpcap

out, scenario = sys.argv[1], sys.argv[2]
C, S = "10.30.0.2", "192.0.2.30"
c, s = 100, 700


def frame(src, dst, flags, seq, ack, data=b""):
    sport, dport = (30000, 80) if src == C else (80, 30000)
    link = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
    if scenario == "unacked":
        link = link / Dot1Q(vlan=77)
    packet = link / IP(src=src, dst=dst) / TCP(sport=sport, dport=dport, flags=flags, seq=seq, ack=ack)
    return packet / data if data else packet


def pseudo(src, dst, seq, ack):
    sport, dport = (30000, 80) if src == C else (80, 30000)
    return IP(src=src, dst=dst, id=0, ttl=64, flags=0) / TCP(sport=sport, dport=dport, flags="A", seq=seq, ack=ack,
                                                            window=10)


handshake = [
    frame(C, S, "S", c, 0),
    frame(S, C, "SA", s, c + 1),
    frame(C, S, "A", c + 1, s + 1),
]
expect = {}
times = {}
if scenario in ("idle", "evicted"):
    data = b"xx STREAM-MARKER yy"
    p = handshake + [frame(C, S, "PA", c + 1, s + 1, data)]
    expect["pseudo"] = pseudo(C, S, c + 1 + len(data), s + 1)
    if scenario == "idle":
        p.append(Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / IP(src="10.30.0.9", dst=S)
                 / TCP(sport=30001, dport=80, flags="S", seq=5))
        times[4] = 7200
    else:
        for k in range(1, 41):
            p.append(Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
                     / IP(src="10.9.0.%d" % k, dst="10.0.0.9") / UDP(sport=1000 + k, dport=53) / b"q")
elif scenario == "long":
    p = list(handshake)
    at = c + 1
    for size in (1400, 1400, 400):
        p += [frame(C, S, "PA", at, s + 1, b"A" * size), frame(S, C, "A", s + 1, at + size)]
        at += size
    expect["pseudo"] = pseudo(C, S, at, s + 1)
elif scenario in ("unacked", "acked", "closed", "http"):
    data = b"GET /STREAM-MARKER HTTP/1.1\r\nHost: x\r\n\r\n" if scenario == "http" else b"xx STREAM-MARKER yy"
    end = c + 1 + len(data)
    p = handshake + [frame(C, S, "PA", c + 1, s + 1, data)]
    if scenario == "unacked":
        expect["pseudo"] = pseudo(C, S, end, s + 1)
    elif scenario == "closed":
        p += [frame(S, C, "A", s + 1, end), frame(C, S, "FA", end, s + 1), frame(S, C, "FA", s + 1, end + 1),
              frame(C, S, "A", end + 1, s + 2)]
        expect["frame"] = p[7]
    else:
        p += [frame(S, C, "A", s + 1, end), frame(C, S, "A", end, s + 1)]
        expect["frame"] = p[5]
        expect["pseudo"] = pseudo(C, S, end, s + 1)
elif scenario == "acked-chunk":
    p = list(handshake)
    for k in range(3):
        body = (b"STREAM-MARKER" if k == 0 else b"") + b"q" * 1000
        p.append(frame(C, S, "PA", c + 1 + 1000 * k, s + 1, body[:1000]))
    p += [frame(S, C, "A", s + 1, c + 3001), frame(C, S, "A", c + 3001, s + 1)]
    expect["frame"] = p[7]
elif scenario == "server-unacked":
    request, answer = b"hello", b"the RESPONSE-MARKER here"
    p = handshake + [
        frame(C, S, "PA", c + 1, s + 1, request),
        frame(S, C, "PA", s + 1, c + 1 + len(request), answer),
    ]
    expect["pseudo"] = pseudo(S, C, s + 1 + len(answer), c + 1 + len(request))
elif scenario == "split":
    first, second = b"." * 2596 + b"ATTA", b"CK-MARKER and more"
    p = handshake + [
        frame(C, S, "PA", c + 1, s + 1, first),
        frame(S, C, "A", s + 1, c + 1 + len(first)),
        frame(C, S, "PA", c + 1 + len(first), s + 1, second),
    ]
    expect["pseudo"] = pseudo(C, S, c + 1 + len(first) + len(second), s + 1)
elif scenario == "bulk":
    p = list(handshake)
    for k in range(40):
        body = (b"BULK-MARKER" if k == 0 else b"") + bytes([ord("a") + k % 26]) * 1000
        p.append(frame(C, S, "PA", c + 1 + 1000 * k, s + 1, body[:1000]))
    expect["frame"] = p[3 + 32]
else:
    sys.exit("unknown scenario " + scenario)

for i, packet in enumerate(p):
    packet.time = 1_767_225_600 + times.get(i, 0) + i * 0.001
wrpcap(out, p)
with open(out + ".expect.json", "w") as f:
    json.dump({k: base64.b64encode(raw(v)).decode() for k, v in expect.items()}, f)
