package io.opensase.core.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Records built by {@link EveRecord} and rendered by {@link EveRenderer}, against lines written out by hand:
 * times and base64 from Python's datetime and base64 modules, IPv6 text from its ipaddress module (RFC 5952).
 */
class EveRecordTest
{
    private final EveRenderer renderer = new EveRenderer();
    private final ObjectMapper mapper = new ObjectMapper();

    private String render(final EveRecord record)
    {
        renderer.render(record);
        assertEquals('\n', renderer.line()[renderer.length() - 1]);
        return renderer.text();
    }

    @Test
    void shouldRenderEachKindOfValue()
    {
        final EveRecord record = new EveRecord(EveRecord.MIN_CAPACITY, 1024);
        record.begin().time("timestamp", 1_700_000_000_123_456_789L).field("flow_id", 42).field("event_type", "alert")
            .openArray("vlan").value(100).value(-7).closeArray()
            .address("src_ip", 4, 0, 0xC0A8_0001L).field("src_port", 1234)
            .address("dest_ip", 6, 0x2001_0db8_0000_0000L, 1).protocol("proto", 6)
            .open("alert").field("gid", 1).field("signature", "quote \" slash \\ tab\t").close()
            .field("stream", false).field("ok", true).protocol("p2", 99).protocol("p3", 58).end();

        assertEquals("{\"timestamp\":\"2023-11-14T22:13:20.123456+0000\",\"flow_id\":42,\"event_type\":\"alert\","
            + "\"vlan\":[100,-7],\"src_ip\":\"192.168.0.1\",\"src_port\":1234,\"dest_ip\":\"2001:db8::1\","
            + "\"proto\":\"TCP\",\"alert\":{\"gid\":1,\"signature\":\"quote \\\" slash \\\\ tab\\t\"},"
            + "\"stream\":false,\"ok\":true,\"p2\":\"99\",\"p3\":\"IPv6-ICMP\"}", render(record));
        assertFalse(record.truncated());
    }

    /**
     * A tenant id is named when the line is rendered, as flow records name it: a known id as its name (JSON
     * escapes for a quote and a character past ASCII), an unknown id or 0 and a renderer without names leave the
     * field out, commas and all.
     */
    @Test
    void shouldNameATenantOrLeaveTheFieldOut()
    {
        final TenantNames names = new TenantNames();
        names.put(1, "acme");
        names.put(3, "q\"\u00e9");
        final EveRenderer named = new EveRenderer(names);
        final EveRecord record = new EveRecord(EveRecord.MIN_CAPACITY, 1024);
        // By id: 0 no tenant, 1 acme, 2 unknown, 3 the quote and e-acute escaped.
        final String[] expected = {"{\"a\":1,\"b\":2}", "{\"a\":1,\"tenant_id\":\"acme\",\"b\":2}",
            "{\"a\":1,\"b\":2}", "{\"a\":1,\"tenant_id\":\"q\\\"\\u00e9\",\"b\":2}"};
        for (int id = 0; id <= 3; id++)
        {
            record.begin().field("a", 1).tenant("tenant_id", id).field("b", 2).end();
            named.render(record);
            assertEquals(expected[id], named.text(), "tenant " + id);
            assertEquals("{\"a\":1,\"b\":2}", render(record), "no names");
        }
        record.begin().tenant("tenant_id", 0).field("b", 2).end();
        named.render(record);
        assertEquals("{\"b\":2}", named.text(), "the first field left out");
    }

    @Test
    void shouldWriteIpv6AsRfc5952Has()
    {
        final long[][] words = {{0, 1}, {0x0001_0000_0000_0000L, 0}, {0xfe80_0000_0000_0001L, 1},
            {0x2001_0db8_0000_0001L, 0x0001_0001_0001_0001L}, {0x10000L, 0}};
        final String[] texts = {"::1", "1::", "fe80:0:0:1::1", "2001:db8:0:1:1:1:1:1", "0:0:1::"};
        final EveRecord record = new EveRecord(EveRecord.MIN_CAPACITY, 1024);
        for (int i = 0; i < texts.length; i++)
        {
            record.begin().address("a", 6, words[i][0], words[i][1]).end();
            assertEquals("{\"a\":\"" + texts[i] + "\"}", render(record));
        }
    }

    @Test
    void shouldWritePacketBytesAsBase64PrintableAndEscapedText()
    {
        final byte[] bytes = {0, 1, 2, (byte)0xFF, (byte)0xFE, 'a', '\n'};
        final MemorySegment payload = MemorySegment.ofArray(bytes);
        final EveRecord record = new EveRecord(EveRecord.MIN_CAPACITY, 1024);
        record.begin().base64("payload", payload).printable("payload_printable", payload)
            .printable("other", MemorySegment.ofArray(new byte[] {'x', 0x7F})).field("text", payload).end();

        assertEquals("{\"payload\":\"AAEC//5hCg==\",\"payload_printable\":\".....a\\n\",\"other\":\"x.\","
            + "\"text\":\"\\u0000\\u0001\\u0002\\u00ff\\u00fea\\n\"}", render(record));
    }

    @Test
    void shouldWritePrintableTextOfTheBase64BytesBeforeItWithoutCopyingThemAgain()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment packet = arena.allocate(7);
            MemorySegment.copy(new byte[] {'G', 'E', 'T', ' ', '/', '\r', 0}, 0, packet, ValueLayout.JAVA_BYTE, 0, 7);
            final EveRecord record = new EveRecord(EveRecord.MIN_CAPACITY, 1024);
            record.begin().base64("payload", packet).printable("payload_printable", packet).end();
            final int once = record.length();
            record.begin().base64("payload", packet).printable("payload_printable", packet.asSlice(1)).end();

            assertEquals("{\"payload\":\"R0VUIC8NAA==\",\"payload_printable\":\"ET /\\r.\"}", render(record));
            assertEquals(once + 4 + 6, record.length(), "another slice's bytes are copied: a length and 6 bytes");
            record.begin().base64("payload", packet).printable("payload_printable", packet).end();
            assertEquals("{\"payload\":\"R0VUIC8NAA==\",\"payload_printable\":\"GET /\\r.\"}", render(record));
        }
    }

    @Test
    void shouldEscapeCharactersPastLatin1WithTheirOwnCodePoint()
    {
        final EveRecord record = new EveRecord(EveRecord.MIN_CAPACITY, 1024);
        record.begin().field("msg", "caf\u00e9 \u20ac\u007f").end();

        assertEquals("{\"msg\":\"caf\\u00e9 \\u20ac\\u007f\"}", render(record));
    }

    @Test
    void shouldCutALongValueAtTheValueLimitAndSaySo() throws Exception
    {
        final EveRecord record = new EveRecord(EveRecord.MIN_CAPACITY, 8);
        record.begin().open("http").field("url", "/0123456789abcdef").field("length", 5).close()
            .base64("packet", MemorySegment.ofArray("GET / HTTP/1.1".getBytes())).end();

        assertTrue(record.truncated());
        assertEquals("{\"http\":{\"url\":\"/0123456\",\"length\":5},\"packet\":\"R0VUIC8gSFQ=\",\"truncated\":true}",
            render(record));
        assertEquals("GET / HT", new String(java.util.Base64.getDecoder().decode(
            mapper.readTree(renderer.text()).get("packet").asText())));
    }

    @Test
    void shouldLeaveOutWhatDoesNotFitAndStayValidJson() throws Exception
    {
        final EveRecord record = new EveRecord(EveRecord.MIN_CAPACITY, EveRecord.MIN_CAPACITY);
        final MemorySegment big = MemorySegment.ofArray(new byte[10_000]);
        record.begin().field("event_type", "alert").open("alert").field("sid", 1).close()
            .base64("payload", big)
            .open("http").field("hostname", "example.com").openArray("list").value(1).closeArray().close();
        for (int i = 0; i < 200; i++)
        {
            record.open("o" + i).field("n", i).close();
        }
        record.end();

        assertTrue(record.truncated());
        assertTrue(record.length() <= record.capacity());
        final JsonNode line = mapper.readTree(render(record));
        assertEquals("alert", line.get("event_type").asText());
        assertEquals(1, line.get("alert").get("sid").asInt());
        assertTrue(line.get("truncated").asBoolean());
        final int kept = java.util.Base64.getDecoder().decode(line.get("payload").asText()).length;
        // Before it: event_type 1+11+4+5 bytes, alert 1+6, sid 1+4+8, the close 1: 42; its head 1+8+4: 13.
        assertEquals(EveRecord.MIN_CAPACITY - EveRecord.RESERVE - 42 - 13, kept,
            "the capacity less the reserve, what came before and the token's head");
        assertEquals("example.com", line.get("http").get("hostname").asText());
        assertNull(line.get("o199"), "left out once the record was full");
    }

    /** A mask for tests: a value that starts with {@code k} has each {@code k} replaced by {@code *}. */
    private static final EveValueMask K_FIRST = (bytes, offset, length) ->
    {
        if (length > 0 && 'k' == bytes[offset])
        {
            for (int i = offset; i < offset + length; i++)
            {
                bytes[i] = 'k' == bytes[i] ? (byte)'*' : bytes[i];
            }
        }
    };

    /**
     * A mask rewrites string and byte values as they are copied, and a payload's masks carry into the packet it
     * lies in, which alone the mask would leave (it does not start with k). Base64 from Python.
     */
    @Test
    void shouldMaskValuesAndCarryAPayloadsMasksIntoItsPacket()
    {
        final EveRecord record = new EveRecord(EveRecord.MIN_CAPACITY, 1024).mask(K_FIRST);
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment packet = arena.allocate(6);
            packet.copyFrom(MemorySegment.ofArray("5kkk z".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            final MemorySegment payload = packet.asSlice(1);
            record.begin().field("name", "kick").field("rule", "k\u0100k").base64("payload", payload)
                .printable("payload_printable", payload).field("text", payload)
                .base64("packet", packet, 0, packet.byteSize()).end();
            assertEquals("{\"name\":\"*ic*\",\"rule\":\"k\\u0100k\",\"payload\":\"KioqIHo=\","
                + "\"payload_printable\":\"*** z\",\"text\":\"*** z\",\"packet\":\"NSoqKiB6\"}", render(record));
            // Memory as it was: only the record's copies are masked.
            assertEquals('k', (char)payload.get(ValueLayout.JAVA_BYTE, 0));

            record.mask(null).begin().field("name", "kick").base64("payload", payload)
                .base64("packet", packet, 0, packet.byteSize()).end();
            assertEquals("{\"name\":\"kick\",\"payload\":\"a2trIHo=\",\"packet\":\"NWtrayB6\"}", render(record));
        }
    }
    /**
     * Bytes given as an array range are each one character, escaped as the same characters given as a string
     * are (control bytes, quote, backslash, bytes past ASCII), cut at the value limit and masked the same way.
     */
    @Test
    void shouldWriteByteRangesAsTheStringsOfTheirCharacters()
    {
        final byte[] bytes = {'x', 'c', 'a', 'f', (byte)0xE9, ' ', 1, 0x1F, '"', '\\', '\t', 0x7F, (byte)0xFF, 'x'};
        final EveRecord record = new EveRecord(EveRecord.MIN_CAPACITY, 1024);
        record.begin().field("ua", bytes, 1, 12).openArray("alpn").value(bytes, 1, 3).value(bytes, 0, 0)
            .closeArray().end();

        assertEquals("{\"ua\":\"caf\\u00e9 \\u0001\\u001f\\\"\\\\\\t\\u007f\\u00ff\","
            + "\"alpn\":[\"caf\",\"\"]}", render(record));
        assertFalse(record.truncated());

        final EveRecord cut = new EveRecord(EveRecord.MIN_CAPACITY, 3).mask(K_FIRST);
        cut.begin().field("a", "kkkk".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, 4).end();
        assertEquals("{\"a\":\"***\",\"truncated\":true}", render(cut));
    }

    /** A value its owner cut before the record saw it marks the line as one the record cuts does. */
    @Test
    void shouldMarkALineCutByTheValuesOwner()
    {
        final EveRecord record = new EveRecord(EveRecord.MIN_CAPACITY, 1024);
        record.begin().cut().field("url", "/a").end();

        assertEquals("{\"url\":\"/a\",\"truncated\":true}", render(record));
    }
}
