package io.opensase.core.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opensase.classifiers.flow.FlowKey;
import io.opensase.classifiers.flow.FlowTable;
import io.opensase.classifiers.flow.FlowTimeouts;
import io.opensase.classifiers.flow.FullTablePolicy;
import io.opensase.classifiers.parse.FlowKeyKind;
import io.opensase.classifiers.parse.ParsedPackets;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * EVE flow lines as Jackson and java.time read them: times, addresses (IPv6 in RFC 5952 form), escaping.
 */
class EveFormatterTest
{
    private static final long T0_NS = 1_767_225_600_000_000_000L;
    /** Suricata's time text; java.time's ISO parsers want the offset as +00:00. */
    private static final DateTimeFormatter SURICATA_TIME =
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSxx");

    private final ObjectMapper mapper = new ObjectMapper();
    private final TenantNames tenants = new TenantNames();
    private final FlowTable table = new FlowTable(16, FlowTimeouts.DEFAULT, FullTablePolicy.EVICT_OLDEST);
    private final SpscEventQueue queue = new SpscEventQueue(64);
    private final FlowRecorder recorder = new FlowRecorder(table, queue, 3);
    private final FlowKey key = new FlowKey();

    EveFormatterTest()
    {
        table.addRemovalListener(recorder);
    }

    @Test
    void shouldWriteTimesAsRfc3339WithMicrosecondsInUtc() throws Exception
    {
        final SplittableRandom random = new SplittableRandom(7);
        final EveFormatter formatter = new EveFormatter(0, tenants);
        for (int i = 0; i < 2000; i++)
        {
            // From 1970 to 2200, and the edges of days, months and leap years.
            final long ns = i < 1000 ? random.nextLong(0, 7_258_118_400_000_000_000L)
                : T0_NS + random.nextLong(-3_000_000_000_000_000L, 3_000_000_000_000_000L) / 86_400_000_000_000L
                * 86_400_000_000_000L + random.nextLong(-2, 2);
            final long[] record = flowRecord(ns);

            formatter.format(record, 0);

            final JsonNode line = line(formatter);
            final Instant expected = Instant.ofEpochSecond(0, ns).truncatedTo(ChronoUnit.MICROS);
            final String text = line.get("timestamp").asText();
            assertEquals(expected, OffsetDateTime.parse(text, SURICATA_TIME).toInstant(), text);
            assertEquals(SURICATA_TIME.format(expected.atOffset(ZoneOffset.UTC)), text);
        }
    }

    @Test
    void shouldTurnMonotonicTimeIntoEpochTimeWithTheOffset() throws Exception
    {
        final EveFormatter formatter = new EveFormatter(T0_NS - 5_000, tenants);

        formatter.format(flowRecord(5_000 + 1_234_567), 0);

        assertEquals("2026-01-01T00:00:00.001234+0000", line(formatter).get("timestamp").asText());
    }

    @Test
    void shouldEndEveryTimeOfTheLineWithSuricatasOffsetAsTheIpsLinesDo() throws Exception
    {
        final EveFormatter formatter = new EveFormatter(0, tenants);
        final long[] record = flowRecord(T0_NS + 7_000_000_123L);
        record[EventLayout.START_NS] = T0_NS + 1_000L;

        formatter.format(record, 0);

        final JsonNode line = line(formatter);
        assertEquals("2026-01-01T00:00:07.000000+0000", line.get("timestamp").asText());
        assertEquals("2026-01-01T00:00:00.000001+0000", line.get("flow").get("start").asText());
        assertEquals("2026-01-01T00:00:07.000000+0000", line.get("flow").get("end").asText());
        final EveRenderer renderer = new EveRenderer();
        renderer.render(new EveRecord(EveRecord.MIN_CAPACITY, 64).begin().time("timestamp", T0_NS + 7_000_000_123L)
            .end());
        assertEquals("{\"timestamp\":\"2026-01-01T00:00:07.000000+0000\"}", renderer.text());
    }

    @Test
    void shouldWriteIpv6InItsCanonicalShortForm() throws Exception
    {
        final String[] addresses = {"2001:db8::1", "::", "::1", "1::", "2001:db8:0:1:1:1:1:1", "2001:0:0:1::1",
            "2001:db8::1:0:0:1", "fe80::1:2:3:4", "1:2:3:4:5:6:7:8", "ff02::1:ff00:1"};
        final EveFormatter formatter = new EveFormatter(0, tenants);
        for (final String address : addresses)
        {
            final byte[] bytes = InetAddress.getByName(address).getAddress();
            final long hi = java.nio.ByteBuffer.wrap(bytes).getLong();
            final long lo = java.nio.ByteBuffer.wrap(bytes, 8, 8).getLong();
            key.set(0, ParsedPackets.NO_VLAN, ParsedPackets.NO_VLAN, ParsedPackets.NO_TUNNEL, 6, FlowKeyKind.PORTS, 17,
                hi, lo, 0xFFFF_0000_0000_0000L, 1, 1, 2);
            final int slot = table.lookupOrCreate(key, T0_NS, 60) & FlowTable.SLOT_MASK;
            final long[] record = recorded(slot);

            formatter.format(record, 0);

            final JsonNode line = line(formatter);
            final String other = "ffff::1";
            assertEquals(address, other.equals(line.get("src_ip").asText()) ? line.get("dest_ip").asText()
                : line.get("src_ip").asText());
        }
    }

    @Test
    void shouldPutTheClientFirstAndEscapeTheTenantName() throws Exception
    {
        tenants.put(5, "acme \"east\" \\ \u00e9\u6771\ud83d\ude00\n");
        key.set(5, 100, 7, ParsedPackets.NO_TUNNEL, 4, FlowKeyKind.PORTS, 6, 0, 0xC000_020AL, 0, 0x0A00_0001L, 443,
            40_000);
        final int created = table.lookupOrCreate(key, T0_NS, 60);
        recorder.onFlowCreated(created & FlowTable.SLOT_MASK, (created & FlowTable.REVERSE) != 0);
        key.set(5, 100, 7, ParsedPackets.NO_TUNNEL, 4, FlowKeyKind.PORTS, 6, 0, 0x0A00_0001L, 0, 0xC000_020AL, 40_000,
            443);
        table.lookupOrCreate(key, T0_NS + 2_000_000_000L, 1500);
        final EveFormatter formatter = new EveFormatter(0, tenants);

        formatter.format(recorded(created & FlowTable.SLOT_MASK), 0);

        final JsonNode line = line(formatter);
        assertEquals("acme \"east\" \\ \u00e9\u6771\ud83d\ude00\n", line.get("tenant_id").asText());
        assertEquals("[100,7]", line.get("vlan").toString());
        assertEquals("192.0.2.10", line.get("src_ip").asText());
        assertEquals(443, line.get("src_port").asInt());
        assertEquals("10.0.0.1", line.get("dest_ip").asText());
        assertEquals("TCP", line.get("proto").asText());
        assertEquals(60, line.get("flow").get("bytes_toserver").asLong());
        assertEquals(1500, line.get("flow").get("bytes_toclient").asLong());
        assertEquals(2, line.get("flow").get("age").asLong());
        assertEquals("established", line.get("flow").get("state").asText());
        assertEquals(EveIds.flowId(3, created & FlowTable.SLOT_MASK, T0_NS), line.get("flow_id").asLong());
    }

    /** A UDP flow record built word by word, 10.0.0.1:1 to 10.0.0.2:2. */
    private static long[] flowRecord(final long endNs)
    {
        final long[] record = new long[EventLayout.WORDS];
        record[EventLayout.HEADER] = EventLayout.header(EventLayout.TYPE_FLOW, EventLayout.REASON_TIMEOUT,
            EventLayout.STATE_NEW, false, 0);
        record[EventLayout.TIME_NS] = endNs;
        record[EventLayout.START_NS] = endNs;
        record[EventLayout.FLOW_ID] = 1;
        record[EventLayout.KEY] = (long)FlowKeyKind.PORTS << 24 | 17L << 16;
        record[EventLayout.KEY + 2] = 1L << 16 | 2;
        record[EventLayout.KEY + 4] = 0x0A00_0001L;
        record[EventLayout.KEY + 6] = 0x0A00_0002L;
        return record;
    }

    /** The record the recorder writes for the flow in {@code slot} if it ended now. */
    private long[] recorded(final int slot)
    {
        table.release(slot);
        final long[] record = new long[EventLayout.WORDS];
        queue.drain((records, at) -> System.arraycopy(records, at, record, 0, EventLayout.WORDS), 1);
        return record;
    }

    private JsonNode line(final EveFormatter formatter) throws Exception
    {
        final String text = new String(formatter.line(), 0, formatter.length(), StandardCharsets.UTF_8);
        assertTrue(text.endsWith("}\n") && text.indexOf('\n') == text.length() - 1, text);
        return mapper.readTree(text);
    }
}
