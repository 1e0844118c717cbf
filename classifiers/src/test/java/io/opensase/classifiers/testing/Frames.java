package io.opensase.classifiers.testing;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;

/**
 * Hand-built packet headers for parser tests, written field by field from the RFCs so that expected values
 * never come from the code under test. Every method returns the header bytes alone; {@link #concat} joins them.
 * Lengths are given explicitly, so that a test can make them lie.
 */
public final class Frames
{
    public static final String MAC_DST = "02:00:00:00:00:02";
    public static final String MAC_SRC = "02:00:00:00:00:01";

    private Frames()
    {
    }

    /** Bytes from hex digits; spaces, {@code |} and {@code :} are ignored so that fields can be set apart. */
    public static byte[] hex(final String digits)
    {
        return HexFormat.of().parseHex(digits.replaceAll("[\\s|:]", ""));
    }

    public static byte[] concat(final byte[]... parts)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] part : parts)
        {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    public static byte[] zeros(final int length)
    {
        return new byte[length];
    }

    /** Ethernet II: destination {@link #MAC_DST}, source {@link #MAC_SRC}, then the EtherType or TPID. */
    public static byte[] ethernet(final int ethertype)
    {
        return concat(hex(MAC_DST), hex(MAC_SRC), u16(ethertype));
    }

    /** The rest of an 802.1Q/802.1ad tag after its TPID: priority 0, the VLAN id, then the next EtherType. */
    public static byte[] tag(final int vlanId, final int nextEthertype)
    {
        return concat(u16(vlanId & 0x0FFF), u16(nextEthertype));
    }

    /** One MPLS label stack entry: label (20 bits), traffic class 0, bottom-of-stack bit, TTL. */
    public static byte[] mpls(final int label, final boolean bottom, final int ttl)
    {
        return u32((long)label << 12 | (bottom ? 0x100 : 0) | (ttl & 0xFF));
    }

    /** Ethernet/IPv4 ARP request: who has {@code target}, tell {@code sender}. */
    public static byte[] arpRequest(final String sender, final String target)
    {
        return concat(hex("0001 0800 06 04 0001"), hex(MAC_SRC), ip(sender), hex("000000000000"), ip(target));
    }

    /** A 20-byte IPv4 header, DF set, checksum filled in. */
    public static byte[] ipv4(final int protocol, final String src, final String dst, final int payloadLength)
    {
        return ipv4(0x45, 20 + payloadLength, 0x4000, protocol, src, dst, new byte[0]);
    }

    /**
     * An IPv4 header with every length field given: {@code options} follow the fixed 20 bytes as they are.
     *
     * @param versionIhl    first byte: version nibble and header length in words.
     * @param flagsFragment flags (DF 0x4000, MF 0x2000) and fragment offset in 8-byte units.
     */
    public static byte[] ipv4(
        final int versionIhl,
        final int totalLength,
        final int flagsFragment,
        final int protocol,
        final String src,
        final String dst,
        final byte[] options)
    {
        final byte[] header = concat(
            new byte[] {(byte)versionIhl, 0}, u16(totalLength), u16(0x1234), u16(flagsFragment),
            new byte[] {64, (byte)protocol}, u16(0), ip(src), ip(dst), options);
        final byte[] checksum = u16(checksum(header));
        header[10] = checksum[0];
        header[11] = checksum[1];
        return header;
    }

    /** A 40-byte IPv6 header with hop limit 64. */
    public static byte[] ipv6(final int nextHeader, final String src, final String dst, final int payloadLength)
    {
        return concat(hex("60000000"), u16(payloadLength), new byte[] {(byte)nextHeader, 64}, ip(src), ip(dst));
    }

    /**
     * A destination options (or hop-by-hop) header of {@code (lengthUnits + 1) * 8} bytes whose options area
     * is Pad1 throughout.
     */
    public static byte[] ipv6Options(final int nextHeader, final int lengthUnits)
    {
        final byte[] header = new byte[(lengthUnits + 1) * 8];
        header[0] = (byte)nextHeader;
        header[1] = (byte)lengthUnits;
        return header;
    }

    /** An IPv6 fragment header: offset in 8-byte units, M flag, identification. */
    public static byte[] ipv6Fragment(final int nextHeader, final int offsetUnits, final boolean more, final int id)
    {
        return concat(new byte[] {(byte)nextHeader, 0}, u16(offsetUnits << 3 | (more ? 1 : 0)), u32(id));
    }

    /** A 20-byte TCP header with SYN set. */
    public static byte[] tcp(final int srcPort, final int dstPort)
    {
        return tcp(srcPort, dstPort, 5, new byte[0]);
    }

    /**
     * A TCP header whose data offset says {@code dataOffsetWords}; {@code options} follow the fixed 20 bytes as
     * they are (the header is as long as 20 + options, whatever the data offset claims).
     */
    public static byte[] tcp(final int srcPort, final int dstPort, final int dataOffsetWords, final byte[] options)
    {
        return concat(u16(srcPort), u16(dstPort), u32(1000), u32(0),
            new byte[] {(byte)(dataOffsetWords << 4), 0x02}, u16(0xFFFF), u16(0), u16(0), options);
    }

    /** A UDP header; {@code length} covers header and payload. Checksum 0 (none). */
    public static byte[] udp(final int srcPort, final int dstPort, final int length)
    {
        return concat(u16(srcPort), u16(dstPort), u16(length), u16(0));
    }

    /** The 12-byte SCTP common header with a zero verification tag and checksum. */
    public static byte[] sctp(final int srcPort, final int dstPort)
    {
        return concat(u16(srcPort), u16(dstPort), u32(0), u32(0));
    }

    /** An ICMP (or ICMPv6) header: type, code, checksum 0, and the 4-byte rest of header. */
    public static byte[] icmp(final int type, final int code, final long restOfHeader)
    {
        return concat(new byte[] {(byte)type, (byte)code}, u16(0), u32(restOfHeader));
    }

    /** An 8-byte VXLAN header with the I flag and the VNI. */
    public static byte[] vxlan(final int vni)
    {
        return concat(hex("08000000"), u32((long)vni << 8));
    }

    /** A GENEVE header with {@code options} (a multiple of 4 bytes) appended. */
    public static byte[] geneve(final int vni, final int protocol, final byte[] options)
    {
        return concat(new byte[] {(byte)(options.length / 4), 0}, u16(protocol), u32((long)vni << 8), options);
    }

    public static byte[] u16(final int value)
    {
        return new byte[] {(byte)(value >>> 8), (byte)value};
    }

    public static byte[] u32(final long value)
    {
        return new byte[] {(byte)(value >>> 24), (byte)(value >>> 16), (byte)(value >>> 8), (byte)value};
    }

    /** The 4 or 16 bytes of an IP address literal. */
    public static byte[] ip(final String literal)
    {
        try
        {
            return InetAddress.getByName(literal).getAddress();
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException(literal, ex);
        }
    }

    /** IPv4 address as the parser stores it: the 32 bits in the low word. */
    public static long ipv4Word(final String literal)
    {
        final byte[] bytes = ip(literal);
        return (bytes[0] & 0xFFL) << 24 | (bytes[1] & 0xFFL) << 16 | (bytes[2] & 0xFFL) << 8 | bytes[3] & 0xFFL;
    }

    /** High (index 0) or low (index 1) 64 bits of an IPv6 address. */
    public static long ipv6Word(final String literal, final int index)
    {
        final byte[] bytes = ip(literal);
        long word = 0;
        for (int b = index * 8; b < index * 8 + 8; b++)
        {
            word = word << 8 | bytes[b] & 0xFF;
        }
        return word;
    }

    /** The Internet checksum (RFC 1071) of {@code bytes}. */
    public static int checksum(final byte[] bytes)
    {
        long sum = 0;
        for (int i = 0; i < bytes.length; i += 2)
        {
            sum += (bytes[i] & 0xFF) << 8 | (i + 1 < bytes.length ? bytes[i + 1] & 0xFF : 0);
        }
        while ((sum >>> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int)(~sum & 0xFFFF);
    }
}
