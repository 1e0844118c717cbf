package io.opensase.core.events;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * One EVE line as a compact binary record, built field by field in a reused byte array: what a worker puts on
 * its {@link EveRecordQueue} and the writer thread turns into JSON ({@link EveRenderer}, the one place EVE
 * text is made). Values are copied, never formatted: strings and packet bytes as bytes, numbers, times and
 * addresses as their binary values; so building a record allocates nothing and costs about a copy of its
 * bytes.
 * <p>
 * A record holds at most {@link #capacity()} bytes. A string or byte value longer than {@link #valueBytes()}
 * (or than the room left, less {@link #RESERVE} bytes kept for the fields after it when it is longer than
 * {@link #SHORT_VALUE}) is cut there, and the line then ends with {@code "truncated":true}. Once the record is full, later fields are left out (objects
 * still close), so a line stays valid JSON whatever is put in.
 * <p>
 * The layout, one token after another (numbers little-endian): a tag byte, then for a named token the name
 * (a length byte and ASCII bytes), then the value: 8 bytes for a number or a time, 1 for a boolean, a version
 * byte and 16 bytes for an address, 4 for a protocol number or a tenant id, and a 4-byte length and the bytes
 * for a string (Latin-1: one byte per character; UTF-16: two) or for bytes shown as base64 or as printable text.
 * <p>
 * Owned by one thread; not thread-safe.
 */
public final class EveRecord
{
    /** Bytes a long value leaves free, for the fields that follow it in the line. */
    public static final int RESERVE = 1024;
    /** A value of at most this many bytes (a host name, a rule's text) may use the reserve. */
    public static final int SHORT_VALUE = 256;
    /** Bytes kept free for closing tokens and the truncation mark. */
    private static final int SLACK = 64;
    /** The smallest capacity: room for the reserve and some values. */
    public static final int MIN_CAPACITY = 4 * RESERVE;

    static final int OPEN = 1;
    static final int CLOSE = 2;
    static final int OPEN_ARRAY = 3;
    static final int CLOSE_ARRAY = 4;
    static final int NUMBER = 5;
    static final int BOOLEAN = 6;
    static final int LATIN1 = 7;
    static final int UTF16 = 8;
    static final int BASE64 = 9;
    static final int PRINTABLE = 10;
    /** Printable text of the bytes of the base64 value just before it: the same bytes are not copied twice. */
    static final int PRINTABLE_OF_LAST = 11;
    static final int TIME = 12;
    static final int ADDRESS = 13;
    static final int PROTOCOL = 14;
    /** A tenant id, written as the tenant's name by a renderer that knows the names, or left out. */
    static final int TENANT = 15;
    /** Tag bit: a name follows the tag. */
    static final int NAMED = 0x80;

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT =
        MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    private final byte[] bytes;
    private final int valueBytes;
    private int length;
    private boolean truncated;
    /** Set when a token did not fit: nothing but closing tokens is written any more. */
    private boolean full;
    /** Objects and arrays left out because the record was full: their closing tokens are left out too. */
    private int skippedOpen;
    /**
     * Where the last base64 value's bytes are in native memory (-1: none, or on the heap), so that printable
     * text of the same bytes refers to them; kept as numbers, so that no segment is held past the call.
     */
    private long lastBase64Address = -1;
    private long lastBase64Size;
    /** Where the last base64 value's bytes are in this record, and how many went in. */
    private int lastBase64At;
    private int lastBase64Fit;
    /** Where the value written last starts in the record and how many of its bytes went in. */
    private int valueAt;
    private int valueFit;
    /** Applied to every byte and Latin-1 string value as it is copied in; null: values kept as given. */
    private EveValueMask mask;

    /**
     * @param capacity   bytes a record may take, at least {@link #MIN_CAPACITY}.
     * @param valueBytes bytes one string or byte value may take before it is cut, at least 1.
     */
    public EveRecord(final int capacity, final int valueBytes)
    {
        if (capacity < MIN_CAPACITY || valueBytes < 1)
        {
            throw new IllegalArgumentException("EVE record capacity must be at least " + MIN_CAPACITY
                + " bytes and values at least 1 byte: " + capacity + ", " + valueBytes);
        }
        this.bytes = new byte[capacity];
        this.valueBytes = valueBytes;
    }

    public int capacity()
    {
        return bytes.length;
    }

    public int valueBytes()
    {
        return valueBytes;
    }

    /** The record built since {@link #begin()}, in {@code bytes()[0..length())}. */
    public byte[] bytes()
    {
        return bytes;
    }

    public int length()
    {
        return length;
    }

    /** True when a value was cut or a field left out. */
    public boolean truncated()
    {
        return truncated;
    }

    /**
     * Masks every string and byte value copied in from now on with {@code mask} (null: none). A UTF-16 string
     * (a character past Latin-1: only rule text) is not masked.
     */
    public EveRecord mask(final EveValueMask mask)
    {
        this.mask = mask;
        return this;
    }

    /** Starts a new line (the object's opening brace is implied). */
    public EveRecord begin()
    {
        length = 0;
        truncated = false;
        full = false;
        skippedOpen = 0;
        lastBase64Address = -1;
        return this;
    }

    /** Ends the line: adds {@code "truncated":true} when something was cut; the record is ready to be queued. */
    public EveRecord end()
    {
        if (truncated)
        {
            // room() kept space for this.
            tag(BOOLEAN, "truncated");
            bytes[length++] = 1;
        }
        return this;
    }

    public EveRecord open(final String name)
    {
        opening(OPEN, name);
        return this;
    }

    /** Closes an object; written even when the record is full (room() keeps space), so objects stay balanced. */
    public EveRecord close()
    {
        closing(CLOSE);
        return this;
    }

    public EveRecord openArray(final String name)
    {
        opening(OPEN_ARRAY, name);
        return this;
    }

    public EveRecord closeArray()
    {
        closing(CLOSE_ARRAY);
        return this;
    }

    private void opening(final int type, final String name)
    {
        if (room(name, 0))
        {
            tag(type, name);
        }
        else
        {
            skippedOpen++;
        }
    }

    private void closing(final int type)
    {
        if (skippedOpen > 0)
        {
            skippedOpen--;
        }
        else
        {
            bytes[length++] = (byte)type;
        }
    }

    /** An array element. */
    public EveRecord value(final long value)
    {
        if (room(null, 8))
        {
            tag(NUMBER, null);
            putLong(value);
        }
        return this;
    }

    /** An array element. */
    public EveRecord value(final CharSequence value)
    {
        string(null, value);
        return this;
    }

    public EveRecord field(final String name, final long value)
    {
        if (room(name, 8))
        {
            tag(NUMBER, name);
            putLong(value);
        }
        return this;
    }

    public EveRecord field(final String name, final boolean value)
    {
        if (room(name, 1))
        {
            tag(BOOLEAN, name);
            bytes[length++] = (byte)(value ? 1 : 0);
        }
        return this;
    }

    public EveRecord field(final String name, final CharSequence value)
    {
        string(name, value);
        return this;
    }

    /** A string field holding {@code value} as text, each byte one character. */
    public EveRecord field(final String name, final MemorySegment value)
    {
        segment(LATIN1, name, value);
        return this;
    }

    /**
     * A string field holding {@code size} bytes of {@code memory} from {@code offset} as text, each byte one
     * character: a field read in place, without a slice made for it.
     */
    public EveRecord field(final String name, final MemorySegment memory, final long offset, final long size)
    {
        segment(LATIN1, name, memory, offset, size);
        return this;
    }

    /**
     * A string field holding {@code length} bytes of {@code value} from {@code offset} as text, each byte one
     * character: the same token, cut and mask as {@link #field(String, CharSequence)} makes of those characters.
     */
    public EveRecord field(final String name, final byte[] value, final int offset, final int length)
    {
        latin1(name, value, offset, length);
        return this;
    }

    /** An array element: {@code length} bytes of {@code value} from {@code offset} as text. */
    public EveRecord value(final byte[] value, final int offset, final int length)
    {
        latin1(null, value, offset, length);
        return this;
    }

    /**
     * Marks the line cut: a value was shortened before it reached the record (its owner keeps a bounded copy),
     * so the line ends with {@code "truncated":true} as when the record cuts one.
     */
    public EveRecord cut()
    {
        truncated = true;
        return this;
    }

    /** A string field holding {@code value} in base64. */
    public EveRecord base64(final String name, final MemorySegment value)
    {
        return base64(name, value, 0, value.byteSize());
    }

    /**
     * A string field holding {@code size} bytes of {@code memory} from {@code offset} in base64: a packet read
     * through one segment over all packet memory, without a slice made for it.
     */
    public EveRecord base64(final String name, final MemorySegment memory, final long offset, final long size)
    {
        final boolean written = segment(BASE64, name, memory, offset, size);
        final long address = written && memory.isNative() ? memory.address() + offset : -1;
        if (null != mask && address >= 0 && lastBase64Address >= address
            && lastBase64Address + lastBase64Fit <= address + valueFit)
        {
            maskedAsBefore((int)(lastBase64Address - address));
        }
        lastBase64Address = address;
        lastBase64Size = size;
        lastBase64At = valueAt;
        lastBase64Fit = valueFit;
        return this;
    }

    /**
     * The last base64 value (a payload) lies inside the one just written (its packet) at {@code at}: what was
     * masked in it is masked here too. Probed alone, the packet's bytes may hide a value that the payload's
     * showed, as a header byte that is a digit or letter runs into the payload's first word.
     */
    private void maskedAsBefore(final int at)
    {
        for (int i = 0; i < lastBase64Fit; i++)
        {
            if ('*' == bytes[lastBase64At + i])
            {
                bytes[valueAt + at + i] = '*';
            }
        }
    }

    /** Suricata's {@code payload_printable}: printable ASCII as it is, every other byte as a dot. */
    public EveRecord printable(final String name, final MemorySegment value)
    {
        return printable(name, value, 0, value.byteSize());
    }

    /**
     * {@code payload_printable} of {@code size} bytes of {@code memory} from {@code offset}; when they are the
     * bytes of the base64 value just before, the record refers to them instead of holding them twice.
     */
    public EveRecord printable(final String name, final MemorySegment memory, final long offset, final long size)
    {
        if (memory.isNative() && memory.address() + offset == lastBase64Address && size == lastBase64Size)
        {
            if (room(name, 0))
            {
                tag(PRINTABLE_OF_LAST, name);
            }
            return this;
        }
        segment(PRINTABLE, name, memory, offset, size);
        return this;
    }

    /** A time, written by {@link EveTime}: UTC with microseconds ({@code 2026-01-01T00:00:00.000000+0000}). */
    public EveRecord time(final String name, final long epochNs)
    {
        if (room(name, 8))
        {
            tag(TIME, name);
            putLong(epochNs);
        }
        return this;
    }

    /**
     * An address as the packet parser stores it, written IPv4 dotted or IPv6 as RFC 5952 has it.
     *
     * @param ipVersion 4: the address is the low 32 bits of {@code lo}; 6: both words.
     */
    public EveRecord address(final String name, final int ipVersion, final long hi, final long lo)
    {
        if (room(name, 17))
        {
            tag(ADDRESS, name);
            bytes[length++] = (byte)ipVersion;
            putLong(hi);
            putLong(lo);
        }
        return this;
    }

    /** An IP protocol number, written as EVE's {@code proto} names it ({@code "TCP"}, or the number as text). */
    public EveRecord protocol(final String name, final int ipProtocol)
    {
        if (room(name, 4))
        {
            tag(PROTOCOL, name);
            INT.set(bytes, length, ipProtocol);
            length += 4;
        }
        return this;
    }

    /**
     * A tenant, by its id: the renderer writes the tenant's name ({@link TenantNames}) as a string field, or
     * leaves the field out when it knows no name for the id (0: no tenant). The name is looked up when the line
     * is written, as flow records' {@code tenant_id} is, so both carry the same string.
     */
    public EveRecord tenant(final String name, final int tenantId)
    {
        if (room(name, 4))
        {
            tag(TENANT, name);
            INT.set(bytes, length, tenantId);
            length += 4;
        }
        return this;
    }

    private void string(final String name, final CharSequence value)
    {
        final int chars = value.length();
        final int start = length;
        int fit = fit(name, chars);
        if (fit < 0)
        {
            return;
        }
        tag(LATIN1, name);
        final int at = length;
        length += 4;
        // One pass as Latin-1; a character past it (rare: a rule's text) starts the value again as UTF-16.
        for (int c = 0; c < fit; c++)
        {
            final char ch = value.charAt(c);
            if (ch > 0xFF)
            {
                length = start;
                fit = fit(name, 2 * chars) / 2;
                tag(UTF16, name);
                INT.set(bytes, length, fit);
                length += 4;
                for (int u = 0; u < fit; u++)
                {
                    SHORT.set(bytes, length, (short)value.charAt(u));
                    length += 2;
                }
                return;
            }
            bytes[length++] = (byte)ch;
        }
        INT.set(bytes, at, fit);
        if (null != mask)
        {
            mask.mask(bytes, at + 4, fit);
        }
    }

    private void latin1(final String name, final byte[] value, final int offset, final int size)
    {
        final int fit = fit(name, size);
        if (fit < 0)
        {
            return;
        }
        tag(LATIN1, name);
        INT.set(bytes, length, fit);
        length += 4;
        System.arraycopy(value, offset, bytes, length, fit);
        if (null != mask)
        {
            mask.mask(bytes, length, fit);
        }
        length += fit;
    }

    private boolean segment(final int type, final String name, final MemorySegment value)
    {
        return segment(type, name, value, 0, value.byteSize());
    }

    /** Writes bytes of {@code memory} as a token of {@code type}; false when it did not fit at all. */
    private boolean segment(final int type, final String name, final MemorySegment memory, final long offset,
        final long byteSize)
    {
        final int size = (int)Math.min(Integer.MAX_VALUE, Math.max(0, byteSize));
        final int fit = fit(name, size);
        if (fit < 0)
        {
            return false;
        }
        tag(type, name);
        INT.set(bytes, length, fit);
        length += 4;
        MemorySegment.copy(memory, ValueLayout.JAVA_BYTE, offset, bytes, length, fit);
        if (null != mask)
        {
            mask.mask(bytes, length, fit);
        }
        valueAt = length;
        valueFit = fit;
        length += fit;
        return true;
    }

    /**
     * How many of {@code size} value bytes go in after a tag, its name and a length: all, or what the value
     * limit and the room left past the reserve allow (then the record is marked cut); -1 when not even the
     * token's head fits.
     */
    private int fit(final String name, final int size)
    {
        if (!room(name, 4))
        {
            return -1;
        }
        final int head = 1 + nameBytes(name) + 4;
        // A short value may use the reserve a long one leaves, all but the slack room() keeps.
        final int room = bytes.length - length - head - (size <= SHORT_VALUE ? SLACK : RESERVE);
        final int fit = Math.max(0, Math.min(size, Math.min(valueBytes, room)));
        if (fit < size)
        {
            truncated = true;
        }
        return fit;
    }

    /**
     * True when a token with {@code name} and {@code valueSize} bytes of value fits, leaving room for closing
     * tokens and the truncation mark; otherwise the record is full from here on.
     */
    private boolean room(final String name, final int valueSize)
    {
        if (full)
        {
            return false;
        }
        if (length + 1 + nameBytes(name) + valueSize + SLACK > bytes.length)
        {
            full = true;
            truncated = true;
            return false;
        }
        return true;
    }

    private static int nameBytes(final String name)
    {
        return null == name ? 0 : 1 + Math.min(name.length(), 255);
    }

    private void tag(final int type, final String name)
    {
        if (null == name)
        {
            bytes[length++] = (byte)type;
            return;
        }
        bytes[length++] = (byte)(type | NAMED);
        final int n = Math.min(name.length(), 255);
        bytes[length++] = (byte)n;
        for (int c = 0; c < n; c++)
        {
            bytes[length++] = (byte)name.charAt(c);
        }
    }

    private void putLong(final long value)
    {
        LONG.set(bytes, length, value);
        length += 8;
    }

    static long getLong(final byte[] record, final int at)
    {
        return (long)LONG.get(record, at);
    }

    static int getInt(final byte[] record, final int at)
    {
        return (int)INT.get(record, at);
    }

    static char getChar(final byte[] record, final int at)
    {
        return (char)(short)SHORT.get(record, at);
    }
}
