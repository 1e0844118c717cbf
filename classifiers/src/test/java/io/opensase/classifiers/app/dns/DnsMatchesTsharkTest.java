package io.opensase.classifiers.app.dns;

import io.opensase.classifiers.app.StreamDirection;
import io.opensase.classifiers.app.Streams;
import io.opensase.classifiers.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every DNS, mDNS and LLMNR message over UDP in the shared captures decodes to what tshark shows: id, flags,
 * questions (name as sent, type) and answers (name, type, TTL, A/AAAA/CNAME/NS/PTR data); and DNS over TCP,
 * fed whole and one byte at a time through the framer, to the same messages as tshark's.
 */
class DnsMatchesTsharkTest
{
    private static final String UDP_DNS = "(dns || mdns || llmnr) && udp && !icmp && !icmpv6";

    @ParameterizedTest
    @ValueSource(strings = {
        "ids-verify/datasets-04-http-dns/input.pcap",
        "ids-verify/bug-5633-gre-02/gre-sample.pcap",
        "pcap/dns/tcpdump-dns_udp.pcap",
        "pcap/dns/tcpdump-edns-opts.pcap",
        "pcap/dns/zeek-dns-two-responses.pcap",
        "pcap/dns/zeek-mdns.pcap",
        "pcap/fragments/zeek-ipv6-fragmented-dns.pcap",
        "pcap/mixed/tcpreplay-test.pcap",
        "pcap/mixed/zeek-wikipedia.pcap",
        "pcap/tunnels/zeek-Teredo.pcap"})
    void shouldDecodeUdpMessagesAsTsharkDoes(final String name)
    {
        final List<String> fields = new ArrayList<>(List.of("udp.payload"));
        fields.addAll(List.of(DnsText.FIELDS));
        final List<List<String>> rows =
            Streams.fields(SharedData.resolve(name), UDP_DNS, fields.toArray(String[]::new));
        final DnsParser parser = new DnsParser();
        final DnsMessage message = new DnsMessage();
        assertFalse(rows.isEmpty());
        for (final List<String> row : rows)
        {
            final byte[] payload = HexFormat.of().parseHex(row.getFirst().split("\\|")[0]);

            assertTrue(parser.parse(MemorySegment.ofArray(payload), 0, payload.length, message), row.toString());
            assertEquals(DnsText.fromTshark(row.subList(1, row.size())), DnsText.of(message));
        }
        assertEquals(rows.size(), parser.counters().get(DnsCounter.MESSAGES));
    }

    @Test
    void shouldFrameTcpMessagesAsTsharkDoes()
    {
        final var capture = SharedData.resolve("pcap/dns/tcpdump-dns_tcp.pcap");
        final List<String> expected = new ArrayList<>();
        for (final List<String> row : Streams.fields(capture, "dns && tcp", DnsText.FIELDS))
        {
            expected.add(DnsText.fromTshark(row));
        }
        final List<Streams.Chunk> chunks = new ArrayList<>();
        for (final int stream : Streams.tcpStreams(capture, "dns"))
        {
            chunks.addAll(Streams.follow(capture, stream));
        }

        for (final int piece : new int[] {Integer.MAX_VALUE, 1, 7})
        {
            final List<String> seen = new ArrayList<>();
            try (DnsTcpFramer framer = new DnsTcpFramer(2, 1))
            {
                final int flow = framer.open();
                for (final Streams.Chunk chunk : chunks)
                {
                    for (int at = 0; at < chunk.bytes().length; at += piece)
                    {
                        final int n = Math.min(piece, chunk.bytes().length - at);
                        framer.feed(flow, chunk.direction(), MemorySegment.ofArray(chunk.bytes()), at, n,
                            (f, direction, m) -> seen.add(DnsText.of(m)
                                + (m.isResponse() == (StreamDirection.TO_CLIENT == direction) ? "" : " wrong way")));
                    }
                }
            }
            assertEquals(expected, seen, "pieces of " + piece);
        }
        assertEquals(2, expected.size());
    }
}
