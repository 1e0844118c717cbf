package io.opensase.classifiers.app.tls;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A cursor over DER (X.690) elements: {@link #read} decodes the one element header at a position, checked
 * against an end, and leaves its tag and content bounds in fields. Definite lengths of up to four bytes only
 * (a certificate is far below 4 GiB); anything else is malformed. One instance per parser, reused.
 */
final class Der
{
    static final int BOOLEAN = 0x01;
    static final int INTEGER = 0x02;
    static final int BIT_STRING = 0x03;
    static final int OCTET_STRING = 0x04;
    static final int OID = 0x06;
    static final int UTF8_STRING = 0x0C;
    static final int PRINTABLE_STRING = 0x13;
    static final int T61_STRING = 0x14;
    static final int IA5_STRING = 0x16;
    static final int UTC_TIME = 0x17;
    static final int GENERALIZED_TIME = 0x18;
    static final int UNIVERSAL_STRING = 0x1C;
    static final int BMP_STRING = 0x1E;
    static final int SEQUENCE = 0x30;
    static final int SET = 0x31;

    int tag;
    long contentAt;
    long contentEnd;

    /** Decodes the element header at {@code at}; false when it or its content would pass {@code end}. */
    boolean read(final MemorySegment mem, final long at, final long end)
    {
        if (end - at < 2)
        {
            return false;
        }
        tag = u8(mem, at);
        if (0x1F == (tag & 0x1F))
        {
            return false; // high tag numbers appear nowhere in the fields read
        }
        int first = u8(mem, at + 1);
        long p = at + 2;
        long length;
        if (first < 0x80)
        {
            length = first;
        }
        else
        {
            final int bytes = first & 0x7F;
            if (0 == bytes || bytes > 4 || end - p < bytes)
            {
                return false;
            }
            length = 0;
            for (int i = 0; i < bytes; i++)
            {
                length = length << 8 | u8(mem, p++);
            }
        }
        if (length > end - p)
        {
            return false;
        }
        contentAt = p;
        contentEnd = p + length;
        return true;
    }

    /** Reads the element at {@code at} and checks its tag. */
    boolean read(final MemorySegment mem, final long at, final long end, final int expectedTag)
    {
        return read(mem, at, end) && tag == expectedTag;
    }

    int contentLength()
    {
        return (int)(contentEnd - contentAt);
    }

    static int u8(final MemorySegment mem, final long at)
    {
        return mem.get(ValueLayout.JAVA_BYTE, at) & 0xFF;
    }
}
