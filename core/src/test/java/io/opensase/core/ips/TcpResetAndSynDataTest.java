package io.opensase.core.ips;

import com.fasterxml.jackson.databind.JsonNode;
import io.opensase.core.testing.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Found by a tester: any RST ended reassembly, HTTP parsing and DLP for its flow, whatever its sequence number,
 * so that a RST the receiving host drops hid everything after it; and a SYN's payload was put into the stream
 * even when the SYN-ACK did not acknowledge it, so that the bytes the client sent again after the handshake, at
 * the same sequence numbers, conflicted with it and were never inspected. Each connection below goes from
 * 10.0.0.1 (client ISN 1000) to 10.0.0.2:80 (server ISN 5000); its client port names the case. The
 * {@code xxEVILPAYLOADyy} rule text is split across two segments, so that only the stream can match it.
 */
class TcpResetAndSynDataTest
{
    private static final String HEAD = "POST /upload HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 37\\r\\n\\r\\n";
    /** The body's second segment, 28 bytes: with the first's 9, 37. */
    private static final String BODY_END = "LOADyy card 4111111111111111";
    /** The head's length: 23 + 9 + 20 + 2 bytes, counted by hand. */
    private static final int HEAD_BYTES = 54;
    private static final String RULES = """
        alert tcp any any -> any 80 (msg:"stream"; content:"EVILPAYLOAD"; sid:1;)
        alert http any any -> any any (msg:"body"; http.request_body; content:"EVILPAYLOAD"; sid:2;)
        """;

    @TempDir
    Path dir;

    @Test
    void shouldIgnoreResetsTheHostDropsAndEndTheStreamAtOneItTakes() throws Exception
    {
        final List<String> packets = new ArrayList<>();
        // 40001: the server's RST 3,000,000 bytes past its next sequence number (5001).
        upload(packets, 40001, server(40001, "RA", 5001 + 3_000_000, 1001 + HEAD_BYTES, ""));
        // 40002: the client's RST inside the window, 5 bytes past its next sequence number (1055).
        upload(packets, 40002, client(40002, "R", 1001 + HEAD_BYTES + 5, 0, ""));
        // 40003: the server's RST with its next sequence number: the host takes it, the stream ends.
        upload(packets, 40003, server(40003, "RA", 5001, 1001 + HEAD_BYTES, ""));

        // 40008: a FIN without ACK (a host drops it) at the client's next sequence number, then a RST past it.
        upload(packets, 40008, client(40008, "F", 1001 + HEAD_BYTES, 0, ""));
        packets.add(packets.size() - 3, client(40008, "R", 1001 + HEAD_BYTES + 1, 0, ""));

        assertEquals(Map.of(40001, List.of(1, 2), 40002, List.of(1, 2), 40008, List.of(1, 2)), alertsByPort(packets));
        assertEquals(Map.of(40001, List.of("finding payment_card allowed"),
            40002, List.of("finding payment_card allowed"), 40008, List.of("finding payment_card allowed")),
            IpsCaptureTesting.dlpByPort(dir.resolve("eve.json")));
    }

    @Test
    void shouldInspectSynDataOnlyWhenTheSynAckAcknowledgesIt() throws Exception
    {
        final List<String> packets = new ArrayList<>();
        // 40004: SYN data the SYN-ACK leaves unacknowledged (ack 1001): the client sends its real bytes after.
        packets.add(client(40004, "S", 1000, 0, "GOODGOODGOODGO"));
        packets.add(server(40004, "SA", 5000, 1001, ""));
        packets.add(client(40004, "A", 1001, 5001, ""));
        packets.add(client(40004, "PA", 1001, 5001, "xxEVILPAY"));
        packets.add(client(40004, "PA", 1010, 5001, "LOADyy"));
        packets.add(server(40004, "A", 5001, 1016, ""));
        // 40005: SYN data the SYN-ACK acknowledges (ack 1001 + 9, TCP Fast Open): it is the stream's start.
        packets.add(client(40005, "S", 1000, 0, "xxEVILPAY"));
        packets.add(server(40005, "SA", 5000, 1010, ""));
        packets.add(client(40005, "PA", 1010, 5001, "LOADyy"));
        packets.add(server(40005, "A", 5001, 1016, ""));

        assertEquals(Map.of(40004, List.of(1), 40005, List.of(1)), alertsByPort(packets));
    }

    /**
     * Found by testers: SYN data waiting for the SYN-ACK was inspected only once settled, so that in IPS mode a
     * Fast Open server had it before any verdict, and a RST right after it, or a junk segment before the SYN-ACK,
     * threw it away uninspected. Its packet is now inspected as a packet at once (sid 1 on the SYN). The client's
     * RST while it waits is not taken, and at the flow's end waiting SYN data goes with the stream, as bytes past
     * a hole do, so 40006 alerts on the SYN only; 40007's junk (no ACK) is not taken and the SYN-ACK's
     * acknowledgement brings the bytes into the stream (a second alert).
     */
    @Test
    void shouldInspectSynDataOnItsPacketAndInTheStreamWhateverComesNext() throws Exception
    {
        final List<String> packets = new ArrayList<>();
        packets.add(client(40006, "S", 1000, 0, "xxEVILPAYLOADyy"));
        packets.add(client(40006, "R", 1016, 0, ""));
        packets.add(client(40007, "S", 1000, 0, "xxEVILPAYLOADyy"));
        packets.add(client(40007, "P", 1016, 0, "junk"));
        packets.add(server(40007, "SA", 5000, 1016, ""));
        packets.add(client(40007, "A", 1016, 5001, ""));

        assertEquals(Map.of(40006, List.of(1), 40007, List.of(1, 1)), alertsByPort(packets));
    }

    /**
     * A handshake, the upload's head, {@code reset}, the body (with a payment card for DLP) in two segments, and
     * the server's ACK.
     */
    private static void upload(final List<String> packets, final int port, final String reset)
    {
        final int body = 1001 + HEAD_BYTES;
        packets.add(client(port, "S", 1000, 0, ""));
        packets.add(server(port, "SA", 5000, 1001, ""));
        packets.add(client(port, "A", 1001, 5001, ""));
        packets.add(client(port, "PA", 1001, 5001, HEAD));
        packets.add(reset);
        packets.add(client(port, "PA", body, 5001, "xxEVILPAY"));
        packets.add(client(port, "PA", body + 9, 5001, BODY_END));
        packets.add(server(port, "A", 5001, body + 37, ""));
    }

    private static String client(final int port, final String flags, final long seq, final long ack,
        final String payload)
    {
        return segment("src='10.0.0.1', dst='10.0.0.2'", "sport=" + port + ", dport=80", flags, seq, ack, payload);
    }

    private static String server(final int port, final String flags, final long seq, final long ack,
        final String payload)
    {
        return segment("src='10.0.0.2', dst='10.0.0.1'", "sport=80, dport=" + port, flags, seq, ack, payload);
    }

    private static String segment(final String addresses, final String ports, final String flags, final long seq,
        final long ack, final String payload)
    {
        return Scenario.ETHER + "/IP(" + addresses + ")/TCP(" + ports + ", flags='" + flags + "', seq=" + seq
            + ", ack=" + ack + ", window=65535)" + (payload.isEmpty() ? "" : "/Raw(b'" + payload + "')");
    }

    /**
     * The sids alerted in IDS mode over {@code packets}, with a DLP profile that alerts on payment cards, by the
     * connection's client port, in order.
     */
    private Map<Integer, List<Integer>> alertsByPort(final List<String> packets) throws Exception
    {
        final Path capture = Scenario.pcap(dir.resolve("resets.pcap"), String.join(",\n", packets));
        final Path rules = dir.resolve("stream.rules");
        Files.writeString(rules, RULES);
        final Path dlp = dir.resolve("dlp.yaml");
        Files.writeString(dlp, """
            profiles:
              - name: pci
                action: alert
                detectors:
                  - type: payment_card
            """);
        final Path eve = dir.resolve("eve.json");
        IpsCaptureTesting.run(new IpsSettings(List.of(rules), Map.of(), Map.of(), IpsMode.IDS, false, eve, null, dlp),
            capture);
        final Map<Integer, List<Integer>> byPort = new TreeMap<>();
        for (final JsonNode alert : IpsCaptureTesting.ofType(IpsCaptureTesting.lines(eve), "alert"))
        {
            final int port = 80 == alert.path("src_port").asInt() ? alert.path("dest_port").asInt()
                : alert.path("src_port").asInt();
            byPort.computeIfAbsent(port, p -> new ArrayList<>()).add(alert.at("/alert/signature_id").asInt());
        }
        byPort.values().forEach(sids -> sids.sort(null));
        return byPort;
    }
}
