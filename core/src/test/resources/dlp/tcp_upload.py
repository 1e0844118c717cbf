"""One client's TCP connection to port 80 as packets, for the DLP test captures (imported by the scripts here).

A connection starts with the three-way handshake; `send` adds the client's bytes in segments of at most 1448,
each acknowledged by the server, and can leave one segment out of the capture (the server still acknowledges
it: a hole only the sensor saw); `answer` adds the server's bytes the same way; `close` adds both FINs; `write`
gives the packets times 0.1 ms apart.
"""
from scapy.all import IP, TCP, Ether

SEGMENT = 1448


class Connection:
    def __init__(self, client, server, sport):
        self.client, self.server, self.sport = client, server, sport
        self.c, self.s = 1000, 9000
        self.sent = 0
        self.received = 0
        self.packets = [
            self.from_client("S", self.c),
            self.from_server("SA", self.s, self.c + 1),
            self.from_client("A", self.c + 1, self.s + 1),
        ]

    def from_client(self, flags, seq, ack=0):
        return (Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / IP(src=self.client, dst=self.server)
                / TCP(sport=self.sport, dport=80, flags=flags, seq=seq, ack=ack))

    def from_server(self, flags, seq, ack):
        return (Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / IP(src=self.server, dst=self.client)
                / TCP(sport=80, dport=self.sport, flags=flags, seq=seq, ack=ack))

    def next_seq(self):
        return self.c + 1 + self.sent

    def server_seq(self):
        return self.s + 1 + self.received

    def send(self, payload, missing=-1):
        """Adds `payload` in acknowledged segments; segment number `missing` is left out of the capture."""
        for k, at in enumerate(range(0, len(payload), SEGMENT)):
            piece = payload[at:at + SEGMENT]
            if k != missing:
                self.packets.append(self.from_client("PA", self.next_seq(), self.server_seq()) / piece)
            self.sent += len(piece)
            self.packets.append(self.from_server("A", self.server_seq(), self.next_seq()))

    def answer(self, payload):
        """Adds the server's `payload` in segments, each acknowledged by the client."""
        for at in range(0, len(payload), SEGMENT):
            piece = payload[at:at + SEGMENT]
            self.packets.append(self.from_server("PA", self.server_seq(), self.next_seq()) / piece)
            self.received += len(piece)
            self.packets.append(self.from_client("A", self.next_seq(), self.server_seq()))

    def close(self):
        """Adds the client's FIN and the server's FIN acknowledging it."""
        end = self.next_seq()
        self.packets += [self.from_client("FA", end, self.server_seq()),
                         self.from_server("FA", self.server_seq(), end + 1)]

    def write(self, out, t):
        """Writes the packets 0.1 ms apart from `t`; returns the time after the last."""
        for packet in self.packets:
            packet.time = t
            t += 0.0001
            out.write(packet)
        return t


def flush(out, connections, t):
    """Writes the packets each connection holds, one connection after the other, from `t`, and forgets them; returns
    the time after the last."""
    for connection in connections:
        t = connection.write(out, t)
        connection.packets = []
    return t
