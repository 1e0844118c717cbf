package io.opensase.core.events;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns an {@link EveRecord} into its EVE JSON line: the one formatter of the IPS's alert and application
 * lines and of audit lines, run by the event writer thread for the engine and by {@code opensase ips} on its
 * own thread. The line is ASCII: characters outside printable ASCII are written as {@code \}{@code uXXXX}, so
 * bytes from packets (each shown as the character of its value) always give valid JSON.
 * <p>
 * Reuses its buffer, which grows to the longest line once; not thread-safe.
 */
public final class EveRenderer
{
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BASE64 =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_DEPTH = 64;

    /** Names of the tenant ids in {@link EveRecord#TENANT} tokens; null: such tokens are left out. */
    private final TenantNames tenants;
    private byte[] line = new byte[4096];
    private int length;
    /** Per open container: true for an array; and whether it has a member yet. */
    private final boolean[] isArray = new boolean[MAX_DEPTH + 1];
    private final boolean[] hasMember = new boolean[MAX_DEPTH + 1];
    private int depth;
    /** Where the bytes of the last base64 value are, for a printable value that refers to them. */
    private int lastBytesAt;
    private int lastBytesLength;

    /** A renderer that leaves tenant fields out: the lines of a run without tenants. */
    public EveRenderer()
    {
        this(null);
    }

    /** @param tenants names tenant ids as flow records name them; null to leave tenant fields out. */
    public EveRenderer(final TenantNames tenants)
    {
        this.tenants = tenants;
    }

    /** The line rendered last, with its line feed, in {@code line()[0..length())}. */
    public byte[] line()
    {
        return line;
    }

    public int length()
    {
        return length;
    }

    /** The last line as text, without its line feed (for tests and the command line). */
    public String text()
    {
        return new String(line, 0, length - 1, StandardCharsets.US_ASCII);
    }

    public void render(final EveRecord record)
    {
        render(record.bytes(), 0, record.length());
    }

    /**
     * Renders the record in {@code record[from..from+size)}. A record cut short ends where its bytes end: the
     * objects still open are closed.
     */
    public void render(final byte[] record, final int from, final int size)
    {
        length = 0;
        depth = 0;
        isArray[0] = false;
        hasMember[0] = false;
        put('{');
        final int end = from + size;
        int at = from;
        while (at < end)
        {
            final int tag = record[at++] & 0xFF;
            final int type = tag & ~EveRecord.NAMED;
            if (EveRecord.CLOSE == type || EveRecord.CLOSE_ARRAY == type)
            {
                if (depth > 0)
                {
                    put(isArray[depth] ? ']' : '}');
                    depth--;
                }
                continue;
            }
            if (EveRecord.TENANT == type && null == tenantName(record, at, tag))
            {
                at = tenantEnd(record, at, tag);
                continue;
            }
            if (hasMember[depth])
            {
                put(',');
            }
            hasMember[depth] = true;
            if ((tag & EveRecord.NAMED) != 0)
            {
                final int n = record[at++] & 0xFF;
                put('"');
                for (int c = 0; c < n; c++)
                {
                    put(record[at + c]);
                }
                at += n;
                put('"');
                put(':');
            }
            at = value(type, record, at);
        }
        while (depth > 0)
        {
            put(isArray[depth] ? ']' : '}');
            depth--;
        }
        put('}');
        put('\n');
    }

    /** Writes the value of a token of {@code type} whose value starts at {@code at}; returns where it ends. */
    private int value(final int type, final byte[] record, final int at)
    {
        switch (type)
        {
            case EveRecord.OPEN, EveRecord.OPEN_ARRAY ->
            {
                final boolean array = EveRecord.OPEN_ARRAY == type;
                put(array ? '[' : '{');
                if (depth < MAX_DEPTH)
                {
                    depth++;
                }
                isArray[depth] = array;
                hasMember[depth] = false;
                return at;
            }
            case EveRecord.NUMBER ->
            {
                number(EveRecord.getLong(record, at));
                return at + 8;
            }
            case EveRecord.BOOLEAN ->
            {
                ascii(0 != record[at] ? "true" : "false");
                return at + 1;
            }
            case EveRecord.LATIN1, EveRecord.UTF16 ->
            {
                final int n = EveRecord.getInt(record, at);
                final int start = at + 4;
                put('"');
                for (int c = 0; c < n; c++)
                {
                    character(EveRecord.LATIN1 == type ? record[start + c] & 0xFF
                        : EveRecord.getChar(record, start + 2 * c));
                }
                put('"');
                return start + n * (EveRecord.LATIN1 == type ? 1 : 2);
            }
            case EveRecord.BASE64 ->
            {
                final int n = EveRecord.getInt(record, at);
                base64(record, at + 4, n);
                lastBytesAt = at + 4;
                lastBytesLength = n;
                return at + 4 + n;
            }
            case EveRecord.PRINTABLE ->
            {
                final int n = EveRecord.getInt(record, at);
                printable(record, at + 4, n);
                return at + 4 + n;
            }
            case EveRecord.PRINTABLE_OF_LAST ->
            {
                printable(record, lastBytesAt, lastBytesLength);
                return at;
            }
            case EveRecord.TIME ->
            {
                put('"');
                time(EveRecord.getLong(record, at));
                put('"');
                return at + 8;
            }
            case EveRecord.ADDRESS ->
            {
                put('"');
                address(record[at], EveRecord.getLong(record, at + 1), EveRecord.getLong(record, at + 9));
                put('"');
                return at + 17;
            }
            case EveRecord.PROTOCOL ->
            {
                protocol(EveRecord.getInt(record, at));
                return at + 4;
            }
            case EveRecord.TENANT ->
            {
                string(tenants.name(EveRecord.getInt(record, at)));
                return at + 4;
            }
            default -> throw new IllegalArgumentException("not an EVE record: token " + type + " at " + (at - 1));
        }
    }

    /** The name of the tenant token {@code tag} that starts at {@code record[at - 1]}, or null when none. */
    private String tenantName(final byte[] record, final int at, final int tag)
    {
        return null == tenants ? null : tenants.name(EveRecord.getInt(record, tenantEnd(record, at, tag) - 4));
    }

    /** Where the tenant token {@code tag} that starts at {@code record[at - 1]} ends. */
    private static int tenantEnd(final byte[] record, final int at, final int tag)
    {
        return at + ((tag & EveRecord.NAMED) != 0 ? 1 + (record[at] & 0xFF) : 0) + 4;
    }

    private void string(final String value)
    {
        put('"');
        for (int c = 0; c < value.length(); c++)
        {
            character(value.charAt(c));
        }
        put('"');
    }

    private void base64(final byte[] record, final int from, final int n)
    {
        put('"');
        int i = 0;
        for (; i + 3 <= n; i += 3)
        {
            final int bits = (record[from + i] & 0xFF) << 16 | (record[from + i + 1] & 0xFF) << 8
                | record[from + i + 2] & 0xFF;
            put(BASE64[bits >>> 18]);
            put(BASE64[bits >>> 12 & 0x3F]);
            put(BASE64[bits >>> 6 & 0x3F]);
            put(BASE64[bits & 0x3F]);
        }
        if (n - i == 1)
        {
            final int bits = (record[from + i] & 0xFF) << 16;
            put(BASE64[bits >>> 18]);
            put(BASE64[bits >>> 12 & 0x3F]);
            put('=');
            put('=');
        }
        else if (n - i == 2)
        {
            final int bits = (record[from + i] & 0xFF) << 16 | (record[from + i + 1] & 0xFF) << 8;
            put(BASE64[bits >>> 18]);
            put(BASE64[bits >>> 12 & 0x3F]);
            put(BASE64[bits >>> 6 & 0x3F]);
            put('=');
        }
        put('"');
    }

    /** Printable ASCII (and CR, LF, TAB, escaped) as it is, every other byte as a dot. */
    private void printable(final byte[] record, final int from, final int n)
    {
        put('"');
        for (int i = 0; i < n; i++)
        {
            final int c = record[from + i] & 0xFF;
            character(c >= 0x20 && c < 0x7F || '\n' == c || '\r' == c || '\t' == c ? c : '.');
        }
        put('"');
    }

    private void character(final int c)
    {
        switch (c)
        {
            case '"' -> ascii("\\\"");
            case '\\' -> ascii("\\\\");
            case '\n' -> ascii("\\n");
            case '\r' -> ascii("\\r");
            case '\t' -> ascii("\\t");
            default ->
            {
                if (c < 0x20 || c >= 0x7F)
                {
                    ascii("\\u");
                    for (int shift = 12; shift >= 0; shift -= 4)
                    {
                        put(HEX[c >>> shift & 0xF]);
                    }
                }
                else
                {
                    put(c);
                }
            }
        }
    }

    private void protocol(final int protocol)
    {
        final String name = EveProtocols.name(protocol);
        put('"');
        if (null == name)
        {
            number(protocol);
        }
        else
        {
            ascii(name);
        }
        put('"');
    }

    /** As every EVE time is written: {@link EveTime}. */
    private void time(final long epochNs)
    {
        reserve(EveTime.LENGTH);
        length = EveTime.write(epochNs, line, length);
    }

    /** IPv4 dotted; IPv6 in RFC 5952's form: lower case, the longest run of two or more zero groups as ::. */
    private void address(final int ipVersion, final long hi, final long lo)
    {
        if (4 == ipVersion)
        {
            number(lo >>> 24 & 0xFF);
            put('.');
            number(lo >>> 16 & 0xFF);
            put('.');
            number(lo >>> 8 & 0xFF);
            put('.');
            number(lo & 0xFF);
            return;
        }
        final int run = Ipv6Groups.zeroRun(hi, lo);
        final int bestStart = run < 0 ? -1 : run >>> 4;
        final int bestLength = run < 0 ? 1 : run & 0xF;
        final int start = length;
        for (int g = 0; g < 8; g++)
        {
            if (g == bestStart)
            {
                ascii("::");
                g += bestLength - 1;
                continue;
            }
            if (length > start && ':' != line[length - 1])
            {
                put(':');
            }
            hex(Ipv6Groups.group(hi, lo, g));
        }
    }

    private void hex(final int value)
    {
        boolean started = false;
        for (int shift = 12; shift >= 0; shift -= 4)
        {
            final int nibble = value >>> shift & 0xF;
            if (started || 0 != nibble || 0 == shift)
            {
                put(HEX[nibble]);
                started = true;
            }
        }
    }

    private void number(final long value)
    {
        if (value < 0)
        {
            put('-');
            if (Long.MIN_VALUE == value)
            {
                ascii("9223372036854775808");
                return;
            }
            number(-value);
            return;
        }
        if (value >= 10)
        {
            number(value / 10);
        }
        put((int)('0' + value % 10));
    }

    private void ascii(final String text)
    {
        for (int i = 0; i < text.length(); i++)
        {
            put(text.charAt(i));
        }
    }

    private void put(final int b)
    {
        if (length == line.length)
        {
            line = Arrays.copyOf(line, 2 * line.length);
        }
        line[length++] = (byte)b;
    }

    private void reserve(final int bytes)
    {
        if (length + bytes > line.length)
        {
            line = Arrays.copyOf(line, Math.max(2 * line.length, length + bytes));
        }
    }
}
