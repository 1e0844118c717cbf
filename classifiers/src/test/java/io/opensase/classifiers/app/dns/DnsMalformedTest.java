package io.opensase.classifiers.app.dns;

import io.opensase.classifiers.app.StreamDirection;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-built messages (RFC 1035 §4.1): compression followed and loops refused, malformed input counted. */
class DnsMalformedTest
{
    private final DnsParser parser = new DnsParser();
    private final DnsMessage message = new DnsMessage();

    private static byte[] bytes(final int... values)
    {
        final byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++)
        {
            out[i] = (byte)values[i];
        }
        return out;
    }

    private static byte[] concat(final byte[]... parts)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] part : parts)
        {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Header: id 0x1234, flags, QDCOUNT, ANCOUNT, no authority or additional records. */
    private static byte[] header(final int flags, final int questions, final int answers)
    {
        return bytes(0x12, 0x34, flags >>> 8, flags & 0xFF, 0, questions, 0, answers, 0, 0, 0, 0);
    }

    private static final byte[] WWW_EXAMPLE_COM = bytes(3, 'w', 'w', 'w', 7, 'E', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c',
        'o', 'm', 0);

    private boolean parse(final byte[] msg)
    {
        return parser.parse(MemorySegment.ofArray(msg), 0, msg.length, message);
    }

    @Test
    void shouldReadQueryNamesInPlace()
    {
        // Two questions: www.Example.com A IN, then a pointer to 16 (Example.com) A IN.
        final byte[] msg = concat(header(0x0100, 2, 0), WWW_EXAMPLE_COM, bytes(0, 1, 0, 1),
            bytes(0xC0, 16, 0, 1, 0, 1));

        assertTrue(parse(msg));
        final MemorySegment names = message.names();
        assertEquals("www.Example.com", DnsText.text(names.asSlice(message.queryNameOffset(0),
            message.queryNameLength(0))));
        assertEquals("Example.com", DnsText.text(names.asSlice(message.queryNameOffset(1),
            message.queryNameLength(1))));
        assertEquals(11, message.queryNameLength(1), "the second name is not the first one's bytes");
    }

    @Test
    void shouldFollowCompressionPointersBackwards()
    {
        // Question www.Example.com A IN at 12; answer name -> 12, CNAME "mail" + pointer to 16 (Example.com),
        // then an A answer whose name points at the CNAME's data.
        final byte[] msg = concat(header(0x8180, 1, 2), WWW_EXAMPLE_COM, bytes(0, 1, 0, 1),
            bytes(0xC0, 12, 0, 5, 0, 1, 0, 0, 0x0E, 0x10, 0, 7, 4, 'm', 'a', 'i', 'l', 0xC0, 16),
            bytes(0xC0, 45, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1));

        assertTrue(parse(msg));
        assertEquals(0x1234, message.id());
        assertTrue(message.isResponse());
        assertEquals("www.Example.com", DnsText.text(message.queryName(0)), "as sent, case kept");
        assertEquals(1, message.queryType(0));
        assertEquals(2, message.answerCount());
        assertEquals("www.Example.com 5 3600 mail.Example.com", DnsText.text(message.answerName(0)) + " "
            + message.answerType(0) + " " + message.answerTtl(0) + " " + DnsText.text(message.rdata(0)));
        assertEquals("mail.Example.com 1 60 192.0.2.1", DnsText.text(message.answerName(1)) + " "
            + message.answerType(1) + " " + message.answerTtl(1) + " " + DnsText.text(message.rdata(1)));
    }

    @Test
    void shouldRefusePointerToItselfForwardOrInALoop()
    {
        assertFalse(parse(concat(header(0x0100, 1, 0), bytes(0xC0, 12, 0, 1, 0, 1))), "points at itself");
        assertFalse(parse(concat(header(0x0100, 1, 0), bytes(0xC0, 14, 1, 'a', 0, 0, 1, 0, 1))), "points forward");
        // 12: "abcde" then, at 18, a pointer back to 12: it points before itself, yet following it loops.
        assertFalse(parse(concat(header(0x0100, 1, 0), bytes(5, 'a', 'b', 'c', 'd', 'e', 0xC0, 12, 0, 1, 0, 1))),
            "a backward pointer into its own name");
        assertFalse(parse(concat(header(0x0100, 1, 0), bytes(0xC1, 0, 0, 1, 0, 1))), "out of the message");

        assertEquals(4, parser.counters().get(DnsCounter.BAD_POINTER));
        assertEquals(0, parser.counters().get(DnsCounter.MESSAGES));
    }

    @Test
    void shouldRefuseReservedLabelTypesAndOverlongNames()
    {
        assertFalse(parse(concat(header(0x0100, 1, 0), bytes(0x41, 0, 1, 0, 1))), "label type 01");
        final ByteArrayOutputStream name = new ByteArrayOutputStream();
        for (int i = 0; i < 4; i++)
        {
            name.write(63);
            name.writeBytes(new byte[63]);
        }
        name.write(0); // 4 x 64 + 1 = 257 bytes on the wire
        assertFalse(parse(concat(header(0x0100, 1, 0), name.toByteArray(), bytes(0, 1, 0, 1))), "257-byte name");

        assertEquals(2, parser.counters().get(DnsCounter.BAD_NAME));
    }

    @Test
    void shouldRefuseSectionsRunningPastTheMessage()
    {
        assertFalse(parse(bytes(0x12, 0x34, 1, 0, 0, 1)), "short header");
        assertFalse(parse(concat(header(0x0100, 1, 0), WWW_EXAMPLE_COM, bytes(0, 1, 0))), "question cut");
        assertFalse(parse(concat(header(0x0100, 2, 0), WWW_EXAMPLE_COM, bytes(0, 1, 0, 1))), "second question missing");
        assertFalse(parse(concat(header(0x8180, 1, 1), WWW_EXAMPLE_COM, bytes(0, 1, 0, 1),
            bytes(0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 5, 192, 0, 2, 1))), "RDLENGTH past the end");
        assertFalse(parse(concat(header(0x8180, 1, 1), WWW_EXAMPLE_COM, bytes(0, 1, 0, 1),
            bytes(0xC0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 2, 1, 'x', 0))), "CNAME past its RDLENGTH");

        assertEquals(1, parser.counters().get(DnsCounter.SHORT_HEADER));
        assertEquals(4, parser.counters().get(DnsCounter.TRUNCATED_SECTION));
    }

    @Test
    void shouldKeepSixteenQuestionsAndCheckTheRest()
    {
        final ByteArrayOutputStream questions = new ByteArrayOutputStream();
        for (int q = 0; q < 20; q++)
        {
            questions.writeBytes(bytes(1, 'a' + q, 0, 0, 1, 0, 1));
        }
        assertTrue(parse(concat(header(0x0100, 20, 0), questions.toByteArray())));
        assertEquals(16, message.questionCount());
        assertEquals(20, message.declaredQuestions());
        assertEquals("p", DnsText.text(message.queryName(15)));
    }

    @Test
    void shouldWriteAaaaAsSuricataDoes()
    {
        final byte[] msg = concat(header(0x8180, 1, 1), WWW_EXAMPLE_COM, bytes(0, 28, 0, 1),
            bytes(0xC0, 12, 0, 28, 0, 1, 0, 0, 0, 60, 0, 16),
            bytes(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1));

        assertTrue(parse(msg));
        assertEquals("2001:0db8:0000:0000:0000:0000:0000:0001", DnsText.text(message.rdata(0)));
    }

    @Test
    void shouldNeverThrowOnMutatedMessages()
    {
        final byte[] good = concat(header(0x8180, 1, 2), WWW_EXAMPLE_COM, bytes(0, 1, 0, 1),
            bytes(0xC0, 12, 0, 5, 0, 1, 0, 0, 0x0E, 0x10, 0, 7, 4, 'm', 'a', 'i', 'l', 0xC0, 16),
            bytes(0xC0, 45, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1));
        final SplittableRandom random = new SplittableRandom(11);
        int parsed = 0;
        for (int round = 0; round < 200_000; round++)
        {
            final byte[] msg = good.clone();
            for (int m = 1 + random.nextInt(3); m > 0; m--)
            {
                msg[random.nextInt(msg.length)] = (byte)random.nextInt(256);
            }
            parsed += parser.parse(MemorySegment.ofArray(msg), 0, random.nextInt(msg.length + 1), message) ? 1 : 0;
        }
        assertTrue(parsed > 0 && parsed < 200_000, "some parse, some do not: " + parsed);
    }

    @Test
    void shouldSkipTcpMessageWithoutBufferAndStopAtGap()
    {
        final byte[] query = concat(header(0x0100, 1, 0), WWW_EXAMPLE_COM, bytes(0, 1, 0, 1));
        final byte[] framed = concat(bytes(0, query.length), query);
        final List<String> seen = new ArrayList<>();
        try (DnsTcpFramer framer = new DnsTcpFramer(2, 1))
        {
            final int a = framer.open();
            final int b = framer.open();
            final MemorySegment data = MemorySegment.ofArray(framed);
            final DnsListener listener = (f, d, m) -> seen.add(f + " " + m.id());
            framer.feed(a, StreamDirection.TO_SERVER, data, 0, 10, listener);
            framer.feed(b, StreamDirection.TO_SERVER, data, 0, 10, listener);
            framer.feed(a, StreamDirection.TO_SERVER, data, 10, framed.length - 10, listener);
            framer.feed(b, StreamDirection.TO_SERVER, data, 10, framed.length - 10, listener);
            framer.feed(b, StreamDirection.TO_SERVER, data, 0, framed.length, listener);
            framer.gap(a, StreamDirection.TO_SERVER);
            framer.feed(a, StreamDirection.TO_SERVER, data, 0, framed.length, listener);

            assertEquals(List.of(a + " 4660", b + " 4660"), seen, "b's first message skipped, its second decoded");
            assertEquals(1, framer.counters().get(DnsCounter.NO_BUFFER));
            assertEquals(1, framer.counters().get(DnsCounter.GAPS));
            assertEquals(-1, framer.open());
            assertEquals(1, framer.counters().get(DnsCounter.NO_FLOW));
        }
    }
}
