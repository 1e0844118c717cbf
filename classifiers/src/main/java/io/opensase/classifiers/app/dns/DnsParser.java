package io.opensase.classifiers.app.dns;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.opensase.classifiers.parse.PacketMemory.u16;
import static io.opensase.classifiers.parse.PacketMemory.u32;
import static io.opensase.classifiers.parse.PacketMemory.u8;

/**
 * Decodes one whole DNS message (a UDP payload, or one message of a TCP stream without its length prefix,
 * see {@link DnsTcpFramer}) into a {@link DnsMessage}: header, questions and answers; the authority and
 * additional sections are not read. One per worker; nothing is allocated.
 * <p>
 * Names follow compression pointers (RFC 1035 §4.1.4) under one rule that also guards against loops: each
 * pointer must point strictly before where the previous one pointed (the name's own start for the first),
 * so a name's jumps always move backwards and end. Encoders only point back at names already written, so
 * real messages pass. Malformed messages are counted by reason ({@link DnsCounter}) and reported as
 * {@code false}, never thrown.
 */
public final class DnsParser
{
    private static final int HEADER_BYTES = 12;
    private static final long BAD = -1;

    private final DnsCounters counters;

    public DnsParser()
    {
        this(new DnsCounters());
    }

    DnsParser(final DnsCounters counters)
    {
        this.counters = counters;
    }

    public DnsCounters counters()
    {
        return counters;
    }

    /** Decodes {@code msg[offset, offset + length)}; false (counted) when it is not a well-formed message. */
    public boolean parse(final MemorySegment msg, final long offset, final int length, final DnsMessage out)
    {
        out.clear();
        if (length < HEADER_BYTES)
        {
            counters.increment(DnsCounter.SHORT_HEADER);
            return false;
        }
        final long end = offset + length;
        out.id = u16(msg, offset);
        out.flags = u16(msg, offset + 2);
        out.declaredQuestions = u16(msg, offset + 4);
        out.declaredAnswers = u16(msg, offset + 6);
        long p = offset + HEADER_BYTES;
        for (int q = 0; q < out.declaredQuestions; q++)
        {
            final int nameAt = out.textLength;
            p = name(msg, offset, end, p, out);
            if (BAD == p)
            {
                return false;
            }
            if (end - p < 4)
            {
                counters.increment(DnsCounter.TRUNCATED_SECTION);
                return false;
            }
            if (q < DnsMessage.MAX_QUESTIONS)
            {
                out.questionAt[q] = nameAt;
                out.questionLength[q] = out.textLength - nameAt;
                out.questionType[q] = u16(msg, p);
                out.questionClass[q] = u16(msg, p + 2);
                out.questionCount++;
            }
            else
            {
                out.textLength = nameAt; // checked, not kept
            }
            p += 4;
        }
        for (int a = 0; a < out.declaredAnswers; a++)
        {
            final int nameAt = out.textLength;
            p = name(msg, offset, end, p, out);
            if (BAD == p)
            {
                return false;
            }
            if (end - p < 10 || end - p - 10 < u16(msg, p + 8))
            {
                counters.increment(DnsCounter.TRUNCATED_SECTION);
                return false;
            }
            final int type = u16(msg, p);
            final long rdata = p + 10;
            final int rdataLength = u16(msg, p + 8);
            if (a < DnsMessage.MAX_ANSWERS)
            {
                out.answerAt[a] = nameAt;
                out.answerLength[a] = out.textLength - nameAt;
                out.answerType[a] = type;
                out.answerClass[a] = u16(msg, p + 2);
                out.answerTtl[a] = u32(msg, p + 4);
                final int dataAt = out.textLength;
                if (!rdataText(msg, offset, end, type, rdata, rdataLength, out))
                {
                    return false;
                }
                out.rdataAt[a] = dataAt;
                out.rdataLength[a] = out.textLength - dataAt;
                out.answerCount++;
            }
            else
            {
                out.textLength = nameAt;
            }
            p = rdata + rdataLength;
        }
        counters.increment(DnsCounter.MESSAGES);
        return true;
    }

    private boolean rdataText(
        final MemorySegment msg,
        final long base,
        final long end,
        final int type,
        final long at,
        final int length,
        final DnsMessage out)
    {
        switch (type)
        {
            case DnsMessage.TYPE_A ->
            {
                if (4 == length)
                {
                    for (int i = 0; i < 4; i++)
                    {
                        if (i > 0)
                        {
                            out.text[out.textLength++] = '.';
                        }
                        decimal(out, u8(msg, at + i));
                    }
                }
            }
            case DnsMessage.TYPE_AAAA ->
            {
                if (16 == length)
                {
                    for (int i = 0; i < 16; i++)
                    {
                        if (i > 0 && 0 == (i & 1))
                        {
                            out.text[out.textLength++] = ':';
                        }
                        final int b = u8(msg, at + i);
                        out.text[out.textLength++] = (byte)Character.forDigit(b >>> 4, 16);
                        out.text[out.textLength++] = (byte)Character.forDigit(b & 0xF, 16);
                    }
                }
            }
            case DnsMessage.TYPE_CNAME, DnsMessage.TYPE_NS, DnsMessage.TYPE_PTR ->
            {
                final long after = name(msg, base, end, at, out);
                if (BAD == after)
                {
                    return false;
                }
                if (after > at + length)
                {
                    counters.increment(DnsCounter.TRUNCATED_SECTION);
                    return false;
                }
            }
            default ->
            {
            }
        }
        return true;
    }

    private static void decimal(final DnsMessage out, final int value)
    {
        if (value >= 100)
        {
            out.text[out.textLength++] = (byte)('0' + value / 100);
        }
        if (value >= 10)
        {
            out.text[out.textLength++] = (byte)('0' + value / 10 % 10);
        }
        out.text[out.textLength++] = (byte)('0' + value % 10);
    }

    /**
     * Appends the name at {@code at} in dotted form to the message's text; returns the position after the
     * name's bytes at {@code at} (after the first pointer when it has one), or {@link #BAD} (counted).
     */
    private long name(final MemorySegment msg, final long base, final long end, final long at, final DnsMessage out)
    {
        long p = at;
        long after = BAD;
        long limit = at;
        int wire = 1; // the root label's length byte
        final int start = out.textLength;
        while (true)
        {
            if (p >= end)
            {
                counters.increment(DnsCounter.TRUNCATED_SECTION);
                out.textLength = start;
                return BAD;
            }
            final int length = u8(msg, p);
            if (0 == length)
            {
                return BAD == after ? p + 1 : after;
            }
            if (0xC0 == (length & 0xC0))
            {
                if (end - p < 2)
                {
                    counters.increment(DnsCounter.TRUNCATED_SECTION);
                    out.textLength = start;
                    return BAD;
                }
                final long target = base + ((length & 0x3F) << 8 | u8(msg, p + 1));
                if (BAD == after)
                {
                    after = p + 2;
                }
                if (target >= limit)
                {
                    counters.increment(DnsCounter.BAD_POINTER);
                    out.textLength = start;
                    return BAD;
                }
                p = target;
                limit = target;
                continue;
            }
            wire += 1 + length;
            if (0 != (length & 0xC0) || wire > 255)
            {
                counters.increment(DnsCounter.BAD_NAME);
                out.textLength = start;
                return BAD;
            }
            if (end - p - 1 < length)
            {
                counters.increment(DnsCounter.TRUNCATED_SECTION);
                out.textLength = start;
                return BAD;
            }
            if (out.textLength > start)
            {
                out.text[out.textLength++] = '.';
            }
            MemorySegment.copy(msg, ValueLayout.JAVA_BYTE, p + 1, out.text, out.textLength, length);
            out.textLength += length;
            p += 1 + length;
        }
    }
}
