package io.opensase.core.events;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Renders flow records ({@link EventLayout}) as EVE JSON lines, with Suricata's field names and order:
 * <pre>
 * {"timestamp":"2026-01-01T00:00:00.000000+0000","flow_id":N,"event_type":"flow","tenant_id":"acme",
 *  "vlan":[100],"src_ip":"10.0.0.1","src_port":1000,"dest_ip":"192.0.2.1","dest_port":80,"proto":"TCP",
 *  "flow":{"pkts_toserver":2,"pkts_toclient":1,"bytes_toserver":..,"bytes_toclient":..,"start":"..","end":"..",
 *  "age":0,"state":"established","reason":"timeout"}}
 * </pre>
 * {@code src} is the flow's client (the source of its first packet), as Suricata has it. Ports are given for
 * TCP, UDP and SCTP only. {@code tenant_id} is the tenant's name, left out for traffic of no tenant. Times are
 * written by {@link EveTime}, as on every EVE line. (IPS alerts and other events are {@link EveRecord}s,
 * rendered by {@link EveRenderer}.)
 * <p>
 * Writer thread only; it reuses its buffers, so formatting allocates nothing once they have grown.
 */
public final class EveFormatter
{
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final String[] REASONS = {null, "timeout", "evicted", "released", "shutdown"};
    private static final String[] STATES = {null, "new", "established", "closed"};

    private final long clockOffsetNs;
    private final TenantNames tenants;
    private byte[] line = new byte[1024];
    private int length;

    /**
     * @param clockOffsetNs added to record times to make them epoch nanoseconds: 0 when packet time is already
     *                      epoch time (captures), the wall clock minus {@link System#nanoTime()} for live ports.
     */
    public EveFormatter(final long clockOffsetNs, final TenantNames tenants)
    {
        this.clockOffsetNs = clockOffsetNs;
        this.tenants = tenants;
    }

    /** The line formatted last, ending in a line feed, in {@code line()[0..length())}. */
    public byte[] line()
    {
        return line;
    }

    public int length()
    {
        return length;
    }

    /** Formats the flow record at {@code records[at..]} as one line (with its line feed). */
    public void format(final long[] records, final int at)
    {
        length = 0;
        final long header = records[at + EventLayout.HEADER];
        final long words0 = records[at + EventLayout.KEY];
        final long words1 = records[at + EventLayout.KEY + 1];
        final long ports = records[at + EventLayout.KEY + 2];
        final int protocol = (int)(words0 >>> 16) & 0xFF;
        final boolean v6 = (words0 & 1L << 30) != 0;
        final int src = EventLayout.clientIsSecond(header) ? 1 : 0;

        ascii("{\"timestamp\":\"");
        time(records[at + EventLayout.TIME_NS]);
        ascii("\",\"flow_id\":").number(records[at + EventLayout.FLOW_ID]);
        ascii(",\"event_type\":\"flow\"");
        final String tenant = tenants.name((int)(words0 >>> 32));
        if (null != tenant)
        {
            ascii(",\"tenant_id\":").string(tenant);
        }
        vlans((int)(words1 >>> 16 & 0xFFFF) - 1, (int)(words1 & 0xFFFF) - 1);
        ascii(",\"src_ip\":\"");
        address(v6, records[at + EventLayout.KEY + 3 + 2 * src], records[at + EventLayout.KEY + 4 + 2 * src]);
        ascii("\"");
        final boolean hasPorts = 6 == protocol || 17 == protocol || 132 == protocol;
        if (hasPorts)
        {
            ascii(",\"src_port\":").number(port(ports, src));
        }
        ascii(",\"dest_ip\":\"");
        address(v6, records[at + EventLayout.KEY + 5 - 2 * src], records[at + EventLayout.KEY + 6 - 2 * src]);
        ascii("\"");
        if (hasPorts)
        {
            ascii(",\"dest_port\":").number(port(ports, 1 - src));
        }
        ascii(",\"proto\":");
        protocol(protocol);
        flow(records, at, header);
        ascii("}\n");
    }

    private void flow(final long[] records, final int at, final long header)
    {
        final int client = EventLayout.clientIsSecond(header) ? 1 : 0;
        final long startNs = records[at + EventLayout.START_NS];
        ascii(",\"flow\":{\"pkts_toserver\":").number(records[at + EventLayout.PACKETS + client]);
        ascii(",\"pkts_toclient\":").number(records[at + EventLayout.PACKETS + 1 - client]);
        ascii(",\"bytes_toserver\":").number(records[at + EventLayout.BYTES + client]);
        ascii(",\"bytes_toclient\":").number(records[at + EventLayout.BYTES + 1 - client]);
        ascii(",\"start\":\"");
        time(startNs);
        final long endNs = records[at + EventLayout.TIME_NS];
        ascii("\",\"end\":\"");
        time(endNs);
        ascii("\",\"age\":").number(Math.max(0, endNs - startNs) / 1_000_000_000L);
        ascii(",\"state\":\"").ascii(name(STATES, EventLayout.state(header)));
        ascii("\",\"reason\":\"").ascii(name(REASONS, EventLayout.reason(header))).ascii("\"");
        ascii("}");
    }

    private static String name(final String[] names, final int code)
    {
        return code > 0 && code < names.length ? names[code] : "unknown";
    }

    private static int port(final long ports, final int endpoint)
    {
        return 0 == endpoint ? (int)(ports >>> 16) & 0xFFFF : (int)ports & 0xFFFF;
    }

    private void vlans(final int outer, final int inner)
    {
        if (outer < 0)
        {
            return;
        }
        ascii(",\"vlan\":[").number(outer);
        if (inner >= 0)
        {
            ascii(",").number(inner);
        }
        ascii("]");
    }

    private void protocol(final int protocol)
    {
        final String name = EveProtocols.name(protocol);
        ascii("\"");
        if (null == name)
        {
            number(protocol);
        }
        else
        {
            ascii(name);
        }
        ascii("\"");
    }

    /** The record's time, made epoch time by the clock offset, as {@link EveTime} writes it. */
    private void time(final long recordNs)
    {
        reserve(EveTime.LENGTH);
        length = EveTime.write(recordNs + clockOffsetNs, line, length);
    }

    /** IPv4 dotted; IPv6 in RFC 5952's canonical form (lower case, the longest run of zero groups as ::). */
    private void address(final boolean v6, final long hi, final long lo)
    {
        if (!v6)
        {
            number(lo >>> 24 & 0xFF).ascii(".").number(lo >>> 16 & 0xFF).ascii(".").number(lo >>> 8 & 0xFF)
                .ascii(".").number(lo & 0xFF);
            return;
        }
        final int run = Ipv6Groups.zeroRun(hi, lo);
        final int bestStart = run < 0 ? -1 : run >>> 4;
        final int bestLength = run < 0 ? 1 : run & 0xF;
        for (int g = 0; g < 8; g++)
        {
            if (g == bestStart)
            {
                ascii("::");
                g += bestLength - 1;
                continue;
            }
            if (g > 0 && g != bestStart + bestLength)
            {
                ascii(":");
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

    /** A JSON string of {@code value}, escaped, in UTF-8. */
    private EveFormatter string(final String value)
    {
        put((byte)'"');
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (c < 0x80)
            {
                character(c);
            }
            else if (c < 0x800)
            {
                put((byte)(0xC0 | c >>> 6));
                put((byte)(0x80 | c & 0x3F));
            }
            else if (Character.isHighSurrogate(c) && i + 1 < value.length()
                && Character.isLowSurrogate(value.charAt(i + 1)))
            {
                final int cp = Character.toCodePoint(c, value.charAt(++i));
                put((byte)(0xF0 | cp >>> 18));
                put((byte)(0x80 | cp >>> 12 & 0x3F));
                put((byte)(0x80 | cp >>> 6 & 0x3F));
                put((byte)(0x80 | cp & 0x3F));
            }
            else if (Character.isSurrogate(c))
            {
                escape(c);
            }
            else
            {
                put((byte)(0xE0 | c >>> 12));
                put((byte)(0x80 | c >>> 6 & 0x3F));
                put((byte)(0x80 | c & 0x3F));
            }
        }
        put((byte)'"');
        return this;
    }

    private void character(final int c)
    {
        if ('"' == c || '\\' == c)
        {
            put((byte)'\\');
            put((byte)c);
        }
        else if (c < 0x20 || 0x7F == c)
        {
            escape(c);
        }
        else
        {
            put((byte)c);
        }
    }

    private void escape(final int c)
    {
        ascii("\\u");
        hex4(c);
    }

    private void hex4(final int value)
    {
        for (int shift = 12; shift >= 0; shift -= 4)
        {
            put(HEX[value >>> shift & 0xF]);
        }
    }

    private EveFormatter ascii(final String text)
    {
        for (int i = 0; i < text.length(); i++)
        {
            put((byte)text.charAt(i));
        }
        return this;
    }

    private EveFormatter number(final long value)
    {
        if (value < 0)
        {
            put((byte)'-');
            if (Long.MIN_VALUE == value)
            {
                return ascii("9223372036854775808");
            }
            return number(-value);
        }
        if (value >= 10)
        {
            number(value / 10);
        }
        put((byte)('0' + value % 10));
        return this;
    }

    private void put(final byte b)
    {
        if (length == line.length)
        {
            line = Arrays.copyOf(line, 2 * line.length);
        }
        line[length++] = b;
    }

    private void reserve(final int bytes)
    {
        if (length + bytes > line.length)
        {
            line = Arrays.copyOf(line, Math.max(2 * line.length, length + bytes));
        }
    }
}
