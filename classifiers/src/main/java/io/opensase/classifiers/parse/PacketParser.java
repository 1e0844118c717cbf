package io.opensase.classifiers.parse;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

import static io.opensase.classifiers.parse.PacketMemory.u16;
import static io.opensase.classifiers.parse.PacketMemory.u32;
import static io.opensase.classifiers.parse.PacketMemory.u64;
import static io.opensase.classifiers.parse.PacketMemory.u8;

/**
 * The project's one L2-L4 packet parser. Owned by one thread: it keeps the cursor of the packet being
 * parsed in fields, so that parsing allocates nothing.
 * <p>
 * The parser walks the headers from the link layer inwards and records each one (type and offset) in
 * {@link ParsedPackets}, together with the protocol bits for the run report and the flow key material of
 * the innermost IP header. Every read is checked against two limits: the bytes the capture kept and the
 * length the enclosing headers claim. A shortfall against the first alone is {@code snap_truncated}; any
 * other shortfall is a {@link Malformed} reason, and parsing stops there. Headers quoted inside ICMP errors
 * are recorded with {@link LayerType#QUOTED}; they never count as protocols, never feed the flow key, and,
 * being truncated by nature, never make a packet malformed.
 * <p>
 * Not decoded further, by design: MPLS payloads that are not IP (pseudowires, control words), GRE versions
 * other than 0, GRE with routing, and GRE payloads other than IP, Ethernet and MPLS (such as Cisco metadata or
 * ERSPAN); transport payloads inside first fragments.
 * <p>
 * Teredo has no field that names it: a UDP payload on one of the {@link TeredoPorts} is taken for Teredo by
 * Suricata's checks ({@code decode-teredo.c}), and when they fail it stays a plain UDP payload, never malformed.
 * The checks, on the bytes the UDP length covers: at least 40; an origin indication (first two bytes 0) is
 * skipped when 48 are there; any other payload starting with a zero byte (an authentication header: a client
 * qualifying with its server, not tunnelled traffic) is not taken; then an IPv6 header with a hop limit other
 * than 0, not a hop-by-hop header with a payload length below 8, whose payload length ends exactly where the
 * UDP payload does. What such a payload carries is parsed on, and if it proves malformed (a truncated or bad
 * header, or a tunnel past the depth limit) the payload is taken back for plain UDP, as Suricata drops an invalid
 * packet found inside Teredo; a payload the capture's snap length cut is decoded as far as it was kept. Suricata
 * tries Teredo before VXLAN and GENEVE, and so does the parser.
 */
public final class PacketParser
{
    public static final int DEFAULT_MAX_TUNNEL_DEPTH = 4;
    public static final int DEFAULT_MAX_IPV6_EXT_HEADERS = 8;

    private static final int STOP = -1;
    private static final int ETHERNET = 0;
    private static final int VLAN = 1;
    private static final int MPLS = 2;
    private static final int ARP = 3;
    private static final int IPV4 = 4;
    private static final int IPV6 = 5;
    private static final int TCP = 6;
    private static final int UDP = 7;
    private static final int ICMP = 8;
    private static final int ICMPV6 = 9;
    private static final int SCTP = 10;
    private static final int GRE = 11;
    private static final int VXLAN = 12;
    private static final int GENEVE = 13;
    private static final int IP_BY_VERSION = 14;
    private static final int TEREDO = 15;

    private static final int TCP_NOP_NOP_TIMESTAMP = 0x0101_080A;
    private static final int VXLAN_PORT = 4789;
    private static final int GENEVE_PORT = 6081;
    private static final int TEREDO_ORIGIN_INDICATION_LENGTH = 8;

    private static final byte ETHERNET_CODE = LayerType.ETHERNET.code();
    private static final byte IPV4_CODE = LayerType.IPV4.code();
    private static final byte TCP_CODE = LayerType.TCP.code();
    private static final byte UDP_CODE = LayerType.UDP.code();
    private static final int FAST_TCP_BITS = Protocol.ETH.bit() | Protocol.IPV4.bit() | Protocol.TCP.bit();
    private static final int FAST_UDP_BITS = Protocol.ETH.bit() | Protocol.IPV4.bit() | Protocol.UDP.bit();

    private final int maxTunnelDepth;
    private final int maxIpv6ExtHeaders;
    private final TeredoPorts teredoPorts;
    private final boolean fastPath;

    // Cursor over the packet being parsed.
    private MemorySegment mem;
    private long base;
    private int captured;
    private int wire;
    private int off;
    private int regionEnd;
    private boolean quoted;
    private boolean inFirstFragment;
    private boolean ipInIp;
    private int tunnelDepth;
    private int ethernetTags;

    // Results for the packet being parsed; copied to the output arrays when it is done.
    private ParsedPackets out;
    private int index;
    private int layerBase;
    private int layers;
    private int protocolBits;
    private Malformed malformed;
    private boolean snapTruncated;

    // The packet as it stood where the innermost Teredo payload began (teredoLayers -1: none), restored when what
    // that payload holds proves malformed: Suricata then takes it for plain UDP.
    private int teredoLayers;
    private int teredoBits;
    private Malformed teredoMalformed;
    private boolean teredoSnapTruncated;
    private byte teredoKeyKind;
    private byte teredoIpVersion;
    private short teredoIpProtocol;
    private long teredoSrcHi;
    private long teredoSrcLo;
    private long teredoDstHi;
    private long teredoDstLo;
    private int teredoSrcPort;
    private int teredoDstPort;
    private long teredoTunnelId;
    private boolean failedInTeredo;

    public PacketParser()
    {
        this(DEFAULT_MAX_TUNNEL_DEPTH, DEFAULT_MAX_IPV6_EXT_HEADERS);
    }

    /**
     * @param maxTunnelDepth    most nested encapsulations (IP-in-IP, GRE, VXLAN, GENEVE, Teredo) parsed; deeper
     *                          is malformed.
     * @param maxIpv6ExtHeaders most extension headers after one IPv6 header; more is malformed.
     */
    public PacketParser(final int maxTunnelDepth, final int maxIpv6ExtHeaders)
    {
        this(maxTunnelDepth, maxIpv6ExtHeaders, TeredoPorts.DEFAULT);
    }

    /**
     * @param teredoPorts UDP ports on which a payload may be Teredo.
     */
    public PacketParser(final int maxTunnelDepth, final int maxIpv6ExtHeaders, final TeredoPorts teredoPorts)
    {
        this(maxTunnelDepth, maxIpv6ExtHeaders, teredoPorts, true);
    }

    /**
     * @param fastPath false to send every packet down the general walk: tests compare the two.
     */
    PacketParser(final int maxTunnelDepth, final int maxIpv6ExtHeaders, final TeredoPorts teredoPorts,
        final boolean fastPath)
    {
        if (maxTunnelDepth < 0 || maxIpv6ExtHeaders < 0)
        {
            throw new IllegalArgumentException("limits must not be negative");
        }
        this.maxTunnelDepth = maxTunnelDepth;
        this.maxIpv6ExtHeaders = maxIpv6ExtHeaders;
        this.teredoPorts = Objects.requireNonNull(teredoPorts, "teredoPorts");
        this.fastPath = fastPath;
    }

    /**
     * Parses one packet into slot {@code index} of {@code results}.
     *
     * @param mem        segment the address is read through: {@link PacketMemory#ALL} in production.
     * @param address    address of the first byte of the packet in {@code mem}.
     * @param captured   bytes present at {@code address}; nothing past them is read.
     * @param wireLength length of the packet on the wire (at least {@code captured}).
     * @param link       link layer of the first byte.
     */
    public void parse(
        final MemorySegment mem,
        final long address,
        final int captured,
        final int wireLength,
        final LinkType link,
        final ParsedPackets results,
        final int index)
    {
        if (fastPath && LinkType.ETHERNET == link && parsedPlainIpv4(mem, address, captured, results, index))
        {
            return;
        }
        begin(mem, address, captured, wireLength, results, index);
        int next = linkLayer(link);
        while (STOP != next)
        {
            next = switch (next)
            {
                case ETHERNET -> ethernet();
                case VLAN -> vlanTag();
                case MPLS -> mplsLabel();
                case ARP -> arp();
                case IPV4 -> ipv4();
                case IPV6 -> ipv6();
                case IP_BY_VERSION -> ipByVersion();
                case TCP -> tcp();
                case UDP -> udp();
                case ICMP -> icmp();
                case ICMPV6 -> icmpv6();
                case SCTP -> sctp();
                case GRE -> gre();
                case VXLAN -> vxlan();
                case GENEVE -> geneve();
                case TEREDO -> teredo();
                default -> throw new IllegalStateException("unknown parser state " + next);
            };
        }
        if (failedInTeredo)
        {
            undoTeredo();
        }
        finish(index);
    }

    /**
     * The common case in one straight pass: Ethernet, IPv4 without options or fragmentation, TCP or UDP
     * (not a tunnel port, Teredo's included), all within the captured bytes. Anything else, or anything
     * doubtful, returns false having written nothing, and the general walk parses the packet; both give the same
     * results, which a test checks packet by packet.
     */
    private boolean parsedPlainIpv4(
        final MemorySegment mem, final long address, final int captured, final ParsedPackets results, final int i)
    {
        if (captured < 54)
        {
            return false;
        }
        // Bytes 12-19: ethertype, version and IHL, TOS, total length, identification.
        final long ethernetIp = u64(mem, address + 12);
        // Bytes 20-27: flags and fragment offset, TTL, protocol, checksum, first half of the source.
        final long ipMiddle = u64(mem, address + 20);
        final int totalLength = (int)(ethernetIp >>> 16) & 0xFFFF;
        if ((ethernetIp >>> 40) != 0x08_00_45L || (ipMiddle >>> 48 & 0x3FFF) != 0
            || totalLength < 40 || 14 + totalLength > captured)
        {
            return false;
        }
        final int protocol = (int)(ipMiddle >>> 32) & 0xFF;
        final long ports = u32(mem, address + 34);
        final int srcPort = (int)(ports >>> 16);
        final int dstPort = (int)ports & 0xFFFF;
        final int bits;
        final byte transport;
        if (6 == protocol)
        {
            final int dataOffset = (u8(mem, address + 46) >>> 4) * 4;
            if (dataOffset < 20 || 20 + dataOffset > totalLength)
            {
                return false;
            }
            if (dataOffset > 20)
            {
                this.mem = mem;
                this.base = address;
                this.off = 34;
                final boolean valid = tcpOptionsValid(dataOffset);
                this.mem = null;
                if (!valid)
                {
                    return false;
                }
            }
            bits = FAST_TCP_BITS;
            transport = TCP_CODE;
        }
        else if (17 == protocol)
        {
            final int udpLength = u16(mem, address + 38);
            if (udpLength < 8 || udpLength > totalLength - 20 || VXLAN_PORT == srcPort || VXLAN_PORT == dstPort
                || GENEVE_PORT == srcPort || GENEVE_PORT == dstPort || teredoPorts.matches(srcPort, dstPort))
            {
                return false;
            }
            bits = FAST_UDP_BITS;
            transport = UDP_CODE;
        }
        else
        {
            return false;
        }
        final int layer = i * ParsedPackets.MAX_LAYERS;
        results.layerType[layer] = ETHERNET_CODE;
        results.layerOffset[layer] = 0;
        results.layerType[layer + 1] = IPV4_CODE;
        results.layerOffset[layer + 1] = 14;
        results.layerType[layer + 2] = transport;
        results.layerOffset[layer + 2] = 34;
        results.layerCount[i] = 3;
        results.protocols[i] = bits;
        results.malformed[i] = 0;
        results.snapTruncated[i] = false;
        results.keyKind[i] = FlowKeyKind.PORTS;
        results.ipVersion[i] = 4;
        results.ipProtocol[i] = (short)protocol;
        results.srcHi[i] = 0;
        results.srcLo[i] = u32(mem, address + 26);
        results.dstHi[i] = 0;
        results.dstLo[i] = u32(mem, address + 30);
        results.srcPort[i] = srcPort;
        results.dstPort[i] = dstPort;
        results.vlanOuter[i] = ParsedPackets.NO_VLAN;
        results.vlanInner[i] = ParsedPackets.NO_VLAN;
        results.tunnelId[i] = ParsedPackets.NO_TUNNEL;
        return true;
    }

    private void begin(
        final MemorySegment mem,
        final long address,
        final int captured,
        final int wireLength,
        final ParsedPackets results,
        final int index)
    {
        this.mem = mem;
        this.base = address;
        this.captured = captured;
        this.wire = Math.max(wireLength, captured);
        this.off = 0;
        this.regionEnd = wire;
        this.quoted = false;
        this.inFirstFragment = false;
        this.ipInIp = false;
        this.tunnelDepth = 0;
        this.ethernetTags = 0;
        this.out = results;
        this.index = index;
        this.layerBase = index * ParsedPackets.MAX_LAYERS;
        this.layers = 0;
        this.protocolBits = 0;
        this.malformed = Malformed.NONE;
        this.snapTruncated = false;
        this.teredoLayers = -1;
        this.failedInTeredo = false;

        results.keyKind[index] = FlowKeyKind.NONE;
        results.ipVersion[index] = 0;
        results.ipProtocol[index] = 0;
        results.srcHi[index] = 0;
        results.srcLo[index] = 0;
        results.dstHi[index] = 0;
        results.dstLo[index] = 0;
        results.srcPort[index] = 0;
        results.dstPort[index] = 0;
        results.vlanOuter[index] = ParsedPackets.NO_VLAN;
        results.vlanInner[index] = ParsedPackets.NO_VLAN;
        results.tunnelId[index] = ParsedPackets.NO_TUNNEL;
    }

    private void finish(final int index)
    {
        out.protocols[index] = protocolBits;
        out.malformed[index] = malformed.code();
        out.snapTruncated[index] = snapTruncated;
        out.layerCount[index] = (byte)layers;
        out = null;
        mem = null;
    }

    // ---------------------------------------------------------------------------------------------------
    // Link layers

    private int linkLayer(final LinkType link)
    {
        return switch (link)
        {
            case ETHERNET -> ETHERNET;
            case RAW -> IP_BY_VERSION;
            case IPV4 -> IPV4;
            case IPV6 -> IPV6;
            case LINUX_SLL -> linuxSll();
            case LINUX_SLL2 -> linuxSll2();
            case NULL -> loopback();
        };
    }

    private int linuxSll()
    {
        if (!need(16, Malformed.LINK_TRUNCATED) || !push(LayerType.LINUX_SLL))
        {
            return STOP;
        }
        final int protocol = u16(mem, base + off + 14);
        off += 16;
        return byEthertype(protocol);
    }

    private int linuxSll2()
    {
        if (!need(20, Malformed.LINK_TRUNCATED) || !push(LayerType.LINUX_SLL2))
        {
            return STOP;
        }
        final int protocol = u16(mem, base + off);
        off += 20;
        return byEthertype(protocol);
    }

    private int loopback()
    {
        if (!need(4, Malformed.LINK_TRUNCATED) || !push(LayerType.LOOPBACK))
        {
            return STOP;
        }
        long family = u32(mem, base + off);
        if ((family & 0xFFFF_0000L) != 0)
        {
            family = Long.reverseBytes(family) >>> 32;
        }
        off += 4;
        if (2 == family)
        {
            return IPV4;
        }
        // AF_INET6 is 10 on Linux, 24 on NetBSD/OpenBSD, 28 on FreeBSD, 30 on macOS.
        return 10 == family || 24 == family || 28 == family || 30 == family ? IPV6 : STOP;
    }

    // ---------------------------------------------------------------------------------------------------
    // Layer 2

    private int ethernet()
    {
        if (!need(14, Malformed.ETHERNET_TRUNCATED) || !push(LayerType.ETHERNET))
        {
            return STOP;
        }
        protocolBits |= Protocol.ETH.bit();
        ethernetTags = 0;
        final int ethertype = u16(mem, base + off + 12);
        off += 14;
        return byEthertype(ethertype);
    }

    private int byEthertype(final int ethertype)
    {
        return switch (ethertype)
        {
            case 0x0800 -> IPV4;
            case 0x86DD -> IPV6;
            case 0x8100, 0x88A8, 0x9100, 0x9200 -> VLAN;
            case 0x8847, 0x8848 -> MPLS;
            case 0x0806 -> ARP;
            default -> STOP;
        };
    }

    /** One tag: the layer offset points at the TCI; the TPID is the two bytes before it. */
    private int vlanTag()
    {
        if (!need(4, Malformed.VLAN_TRUNCATED) || !push(LayerType.VLAN))
        {
            return STOP;
        }
        protocolBits |= Protocol.VLAN.bit();
        ethernetTags++;
        if (ethernetTags >= 2)
        {
            protocolBits |= Protocol.QINQ.bit();
        }
        final int vlanId = u16(mem, base + off) & 0x0FFF;
        if (0 == tunnelDepth)
        {
            final int i = index;
            if (1 == ethernetTags)
            {
                out.vlanOuter[i] = (short)vlanId;
            }
            else if (2 == ethernetTags)
            {
                out.vlanInner[i] = (short)vlanId;
            }
        }
        final int ethertype = u16(mem, base + off + 2);
        off += 4;
        return byEthertype(ethertype);
    }

    private int mplsLabel()
    {
        if (!need(4, Malformed.MPLS_TRUNCATED) || !push(LayerType.MPLS))
        {
            return STOP;
        }
        protocolBits |= Protocol.MPLS.bit();
        final boolean bottomOfStack = (u8(mem, base + off + 2) & 0x01) != 0;
        off += 4;
        if (!bottomOfStack)
        {
            return MPLS;
        }
        // No payload type in MPLS: IP is recognised by its version nibble; anything else is a
        // pseudowire (control word or Ethernet) and is not decoded further.
        if (off >= captured || off >= regionEnd)
        {
            return STOP;
        }
        final int version = u8(mem, base + off) >>> 4;
        return 4 == version ? IPV4 : 6 == version ? IPV6 : STOP;
    }

    private int arp()
    {
        if (!need(8, Malformed.ARP_TRUNCATED) || !push(LayerType.ARP))
        {
            return STOP;
        }
        protocolBits |= Protocol.ARP.bit();
        final int hardwareLength = u8(mem, base + off + 4);
        final int protocolLength = u8(mem, base + off + 5);
        need(8 + 2 * hardwareLength + 2 * protocolLength, Malformed.ARP_TRUNCATED);
        return STOP;
    }

    // ---------------------------------------------------------------------------------------------------
    // Layer 3

    private int ipByVersion()
    {
        if (!need(1, Malformed.IPV4_TRUNCATED))
        {
            return STOP;
        }
        final int version = u8(mem, base + off) >>> 4;
        if (6 == version)
        {
            return IPV6;
        }
        return IPV4;
    }

    private int ipv4()
    {
        if (!need(20, Malformed.IPV4_TRUNCATED) || !push(LayerType.IPV4))
        {
            return STOP;
        }
        final long ip = base + off;
        final int versionIhl = u8(mem, ip);
        final int headerLength = (versionIhl & 0x0F) * 4;
        if (versionIhl >>> 4 != 4)
        {
            return fail(Malformed.IPV4_VERSION);
        }
        if (headerLength < 20)
        {
            return fail(Malformed.IPV4_IHL);
        }
        if (!quoted)
        {
            countIp(Protocol.IPV4);
            final int totalLength = u16(mem, ip + 2);
            if (totalLength < headerLength)
            {
                return fail(Malformed.IPV4_LENGTH);
            }
            enterIpPayloadRegion(off + totalLength, Malformed.IPV4_LENGTH);
        }
        if (!need(headerLength, Malformed.IPV4_TRUNCATED)
            || !optionsValid(off + 20, off + headerLength, Malformed.IPV4_OPTIONS))
        {
            return STOP;
        }

        final int fragment = u16(mem, ip + 6);
        final boolean moreFragments = (fragment & 0x2000) != 0;
        final int fragmentOffset = fragment & 0x1FFF;
        final int protocol = u8(mem, ip + 9);
        if (!quoted)
        {
            final int i = index;
            out.ipVersion[i] = 4;
            out.ipProtocol[i] = (short)protocol;
            out.srcHi[i] = 0;
            out.srcLo[i] = u32(mem, ip + 12);
            out.dstHi[i] = 0;
            out.dstLo[i] = u32(mem, ip + 16);
            out.srcPort[i] = 0;
            out.dstPort[i] = 0;
            out.keyKind[i] = FlowKeyKind.ADDRESSES;
            if (moreFragments || 0 != fragmentOffset)
            {
                protocolBits |= Protocol.FRAGMENT.bit();
            }
        }
        off += headerLength;
        if (0 != fragmentOffset)
        {
            return STOP;
        }
        inFirstFragment = moreFragments && !quoted;
        return byIpProtocol(protocol);
    }

    /**
     * IPv4 and TCP options share one encoding: End (0) stops, NOP (1) is one byte, every other option a
     * kind, a length of at least 2, and data, ending within the header.
     */
    private boolean optionsValid(final int start, final int end, final Malformed reason)
    {
        int option = start;
        while (option < end)
        {
            final int kind = u8(mem, base + option);
            if (0 == kind)
            {
                return true;
            }
            if (1 == kind)
            {
                option++;
                continue;
            }
            if (option + 1 >= end)
            {
                fail(reason);
                return false;
            }
            final int length = u8(mem, base + option + 1);
            if (length < 2 || option + length > end)
            {
                fail(reason);
                return false;
            }
            option += length;
        }
        return true;
    }

    private int ipv6()
    {
        if (!need(40, Malformed.IPV6_TRUNCATED) || !push(LayerType.IPV6))
        {
            return STOP;
        }
        final long ip = base + off;
        if (u8(mem, ip) >>> 4 != 6)
        {
            return fail(Malformed.IPV6_VERSION);
        }
        if (!quoted)
        {
            countIp(Protocol.IPV6);
            enterIpPayloadRegion(off + 40 + u16(mem, ip + 4), Malformed.IPV6_LENGTH);
            final int i = index;
            out.ipVersion[i] = 6;
            out.srcHi[i] = u64(mem, ip + 8);
            out.srcLo[i] = u64(mem, ip + 16);
            out.dstHi[i] = u64(mem, ip + 24);
            out.dstLo[i] = u64(mem, ip + 32);
            out.srcPort[i] = 0;
            out.dstPort[i] = 0;
            out.keyKind[i] = FlowKeyKind.ADDRESSES;
        }
        int nextHeader = u8(mem, ip + 6);
        off += 40;
        inFirstFragment = false;

        int extensionHeaders = 0;
        while (isIpv6Extension(nextHeader))
        {
            if (++extensionHeaders > maxIpv6ExtHeaders)
            {
                return quoted ? STOP : fail(Malformed.IPV6_EXT_CHAIN);
            }
            if (!need(8, Malformed.IPV6_EXT_TRUNCATED) || !push(LayerType.IPV6_EXT))
            {
                return STOP;
            }
            if (!quoted)
            {
                protocolBits |= Protocol.IPV6_EXT.bit();
            }
            final long ext = base + off;
            final int length;
            if (44 == nextHeader)
            {
                length = 8;
                final int fragment = u16(mem, ext + 2);
                if (!quoted)
                {
                    protocolBits |= Protocol.FRAGMENT.bit();
                }
                if ((fragment >>> 3) != 0)
                {
                    setIpProtocol(u8(mem, ext));
                    return STOP;
                }
                inFirstFragment = (fragment & 1) != 0 && !quoted;
            }
            else if (51 == nextHeader)
            {
                length = (u8(mem, ext + 1) + 2) * 4;
            }
            else
            {
                length = (u8(mem, ext + 1) + 1) * 8;
            }
            if (!need(length, Malformed.IPV6_EXT_TRUNCATED))
            {
                return STOP;
            }
            if ((0 == nextHeader || 60 == nextHeader) && !ipv6OptionsValid(off + 2, off + length))
            {
                return quoted ? STOP : fail(Malformed.IPV6_OPTIONS);
            }
            nextHeader = u8(mem, ext);
            off += length;
        }
        setIpProtocol(nextHeader);
        return byIpProtocol(nextHeader);
    }

    /**
     * Hop-by-hop and destination options: Pad1 is one byte, every other option a type-length-value that must
     * end within the header. An option whose content disagrees with its type (a Home Address of one byte, a
     * lone trailing byte) is the receiver's concern: it is tolerated, as tshark tolerates it.
     */
    private boolean ipv6OptionsValid(final int start, final int end)
    {
        int option = start;
        while (option < end)
        {
            if (0 == u8(mem, base + option))
            {
                option++;
                continue;
            }
            if (option + 2 > end)
            {
                return true;
            }
            option += 2 + u8(mem, base + option + 1);
        }
        return option <= end;
    }

    private static boolean isIpv6Extension(final int nextHeader)
    {
        return switch (nextHeader)
        {
            case 0, 43, 44, 51, 60, 135, 139, 140, 253, 254 -> true;
            default -> false;
        };
    }

    private void setIpProtocol(final int protocol)
    {
        if (!quoted)
        {
            out.ipProtocol[index] = (short)protocol;
        }
    }

    private void countIp(final Protocol version)
    {
        protocolBits |= version.bit();
        if (ipInIp)
        {
            protocolBits |= Protocol.IPIP.bit();
            ipInIp = false;
        }
    }

    /**
     * Narrows the region to an IP datagram. A datagram longer than the frame is malformed, but is parsed on
     * over the bytes the frame has (as tshark does); one longer than the bytes the capture kept is
     * snap-truncated.
     */
    private void enterIpPayloadRegion(final int end, final Malformed tooLong)
    {
        if (end > regionEnd)
        {
            flag(tooLong);
        }
        else
        {
            regionEnd = end;
        }
        if (regionEnd > captured)
        {
            snapTruncated = true;
        }
    }

    private int byIpProtocol(final int protocol)
    {
        return switch (protocol)
        {
            case 6 -> TCP;
            case 17 -> UDP;
            case 1 -> ICMP;
            case 58 -> ICMPV6;
            case 132 -> SCTP;
            case 47 -> quoted ? STOP : GRE;
            case 4 -> quoted || inFirstFragment ? STOP : enterTunnel(IPV4, true);
            case 41 -> quoted || inFirstFragment ? STOP : enterTunnel(IPV6, true);
            default -> STOP;
        };
    }

    private int enterTunnel(final int next, final boolean ipInIp)
    {
        if (++tunnelDepth > maxTunnelDepth)
        {
            return fail(Malformed.TUNNEL_DEPTH);
        }
        this.ipInIp = ipInIp;
        if (ETHERNET == next)
        {
            // A tunnelled Ethernet frame need not hold IP: until an inner IP header is found, not tracked.
            out.keyKind[index] = FlowKeyKind.NONE;
        }
        return next;
    }

    // ---------------------------------------------------------------------------------------------------
    // Layer 4

    private int tcp()
    {
        if (quoted)
        {
            return quotedTransport(LayerType.TCP);
        }
        if (!need(20, Malformed.TCP_TRUNCATED) || !push(LayerType.TCP))
        {
            return STOP;
        }
        protocolBits |= Protocol.TCP.bit();
        // The ports are in the fixed header: options cut by the snap length must not lose them, or a SYN
        // captured with a short snap length would key apart from the rest of its connection.
        setPorts(FlowKeyKind.PORTS, u16(mem, base + off), u16(mem, base + off + 2));
        final int dataOffset = (u8(mem, base + off + 12) >>> 4) * 4;
        if (dataOffset < 20)
        {
            return fail(Malformed.TCP_DATA_OFFSET);
        }
        if (need(dataOffset, Malformed.TCP_DATA_OFFSET))
        {
            tcpOptionsValid(dataOffset);
        }
        return STOP;
    }

    private boolean tcpOptionsValid(final int dataOffset)
    {
        if (32 == dataOffset && TCP_NOP_NOP_TIMESTAMP == (int)u32(mem, base + off + 20))
        {
            // The options of nearly every segment after the handshake: two NOPs and a 10-byte timestamp.
            return true;
        }
        return optionsValid(off + 20, off + dataOffset, Malformed.TCP_OPTIONS);
    }

    private int udp()
    {
        if (quoted)
        {
            return quotedTransport(LayerType.UDP);
        }
        if (!need(8, Malformed.UDP_TRUNCATED) || !push(LayerType.UDP))
        {
            return STOP;
        }
        protocolBits |= Protocol.UDP.bit();
        final long udp = base + off;
        final int srcPort = u16(mem, udp);
        final int dstPort = u16(mem, udp + 2);
        setPorts(FlowKeyKind.PORTS, srcPort, dstPort);
        if (inFirstFragment)
        {
            // The UDP length covers the whole datagram, not this fragment; the payload is incomplete.
            return STOP;
        }
        final int length = u16(mem, udp + 4);
        if (length < 8)
        {
            return fail(Malformed.UDP_LENGTH);
        }
        final boolean lengthFits = off + length <= regionEnd;
        if (lengthFits)
        {
            regionEnd = off + length;
        }
        else
        {
            flag(Malformed.UDP_LENGTH);
        }
        off += 8;
        // Teredo is recognised by its length matching the UDP length: not on a datagram whose length is wrong.
        if (lengthFits && teredoPorts.matches(srcPort, dstPort) && isTeredo())
        {
            return TEREDO;
        }
        if (VXLAN_PORT == dstPort || VXLAN_PORT == srcPort)
        {
            return VXLAN;
        }
        if (GENEVE_PORT == dstPort || GENEVE_PORT == srcPort)
        {
            return GENEVE;
        }
        return STOP;
    }

    private int sctp()
    {
        if (quoted)
        {
            return quotedTransport(LayerType.SCTP);
        }
        if (!need(12, Malformed.SCTP_TRUNCATED) || !push(LayerType.SCTP))
        {
            return STOP;
        }
        protocolBits |= Protocol.SCTP.bit();
        setPorts(FlowKeyKind.PORTS, u16(mem, base + off), u16(mem, base + off + 2));
        return STOP;
    }

    /** A transport header quoted in an ICMP error: recorded when its ports are present, never checked. */
    private int quotedTransport(final LayerType type)
    {
        if (need(4, Malformed.NONE))
        {
            push(type);
        }
        return STOP;
    }

    private int icmp()
    {
        if (quoted)
        {
            return quotedTransport(LayerType.ICMP);
        }
        if (!need(8, Malformed.ICMP_TRUNCATED) || !push(LayerType.ICMP))
        {
            return STOP;
        }
        protocolBits |= Protocol.ICMP.bit();
        final int type = u8(mem, base + off);
        if (0 == type || 8 == type)
        {
            final int identifier = u16(mem, base + off + 4);
            setPorts(FlowKeyKind.ICMP_ECHO, identifier, identifier);
            return STOP;
        }
        if (3 == type || 4 == type || 5 == type || 11 == type || 12 == type)
        {
            return enterQuoted(IPV4);
        }
        return STOP;
    }

    private int icmpv6()
    {
        if (quoted)
        {
            return quotedTransport(LayerType.ICMPV6);
        }
        if (!need(4, Malformed.ICMPV6_TRUNCATED) || !push(LayerType.ICMPV6))
        {
            return STOP;
        }
        protocolBits |= Protocol.ICMPV6.bit();
        final int type = u8(mem, base + off);
        if (128 == type || 129 == type)
        {
            if (!need(8, Malformed.ICMPV6_TRUNCATED))
            {
                return STOP;
            }
            final int identifier = u16(mem, base + off + 4);
            setPorts(FlowKeyKind.ICMP_ECHO, identifier, identifier);
            return STOP;
        }
        if (type >= 1 && type <= 4)
        {
            // Errors carry 4 more header bytes (unused, MTU or pointer) before the quoted datagram.
            return need(8, Malformed.ICMPV6_TRUNCATED) ? enterQuoted(IPV6) : STOP;
        }
        return STOP;
    }

    /** The rest of an ICMP error is the start of the datagram that caused it. */
    private int enterQuoted(final int next)
    {
        if (inFirstFragment)
        {
            return STOP;
        }
        off += 8;
        quoted = true;
        return next;
    }

    private void setPorts(final byte kind, final int srcPort, final int dstPort)
    {
        final int i = index;
        out.keyKind[i] = kind;
        out.srcPort[i] = srcPort;
        out.dstPort[i] = dstPort;
    }

    // ---------------------------------------------------------------------------------------------------
    // Tunnels

    private int gre()
    {
        if (!need(4, Malformed.GRE_TRUNCATED) || !push(LayerType.GRE))
        {
            return STOP;
        }
        protocolBits |= Protocol.GRE.bit();
        if (inFirstFragment)
        {
            return STOP;
        }
        final long gre = base + off;
        final int flags = u16(mem, gre);
        final int protocol = u16(mem, gre + 2);
        final boolean checksum = (flags & 0x8000) != 0;
        final boolean routing = (flags & 0x4000) != 0;
        final boolean key = (flags & 0x2000) != 0;
        final boolean sequence = (flags & 0x1000) != 0;
        if ((flags & 0x0007) != 0 || routing)
        {
            return STOP;
        }
        final int headerLength = 4 + (checksum ? 4 : 0) + (key ? 4 : 0) + (sequence ? 4 : 0);
        if (!need(headerLength, Malformed.GRE_TRUNCATED))
        {
            return STOP;
        }
        if (key)
        {
            setTunnelId(u32(mem, gre + (checksum ? 8 : 4)));
        }
        off += headerLength;
        return switch (protocol)
        {
            case 0x0800 -> enterTunnel(IPV4, false);
            case 0x86DD -> enterTunnel(IPV6, false);
            case 0x6558 -> enterTunnel(ETHERNET, false);
            case 0x8847, 0x8848 -> enterTunnel(MPLS, false);
            default -> STOP;
        };
    }

    private int vxlan()
    {
        if (!need(8, Malformed.VXLAN_TRUNCATED) || !push(LayerType.VXLAN))
        {
            return STOP;
        }
        protocolBits |= Protocol.VXLAN.bit();
        setTunnelId(u32(mem, base + off + 4) >>> 8);
        off += 8;
        return enterTunnel(ETHERNET, false);
    }

    private int geneve()
    {
        if (!need(8, Malformed.GENEVE_TRUNCATED) || !push(LayerType.GENEVE))
        {
            return STOP;
        }
        protocolBits |= Protocol.GENEVE.bit();
        final long geneve = base + off;
        final int headerLength = 8 + (u8(mem, geneve) & 0x3F) * 4;
        final int protocol = u16(mem, geneve + 2);
        if (!need(headerLength, Malformed.GENEVE_TRUNCATED))
        {
            return STOP;
        }
        setTunnelId(u32(mem, geneve + 4) >>> 8);
        off += headerLength;
        return switch (protocol)
        {
            case 0x6558 -> enterTunnel(ETHERNET, false);
            case 0x0800 -> enterTunnel(IPV4, false);
            case 0x86DD -> enterTunnel(IPV6, false);
            default -> STOP;
        };
    }

    /**
     * Suricata's checks (see the class comment) on the UDP payload at the cursor, whose end is the region's;
     * they read only captured bytes and mark nothing: a payload that fails them is plain UDP.
     */
    private boolean isTeredo()
    {
        final int payloadEnd = regionEnd;
        int ip = off;
        if (payloadEnd - ip < 40 || ip + 2 > captured)
        {
            return false;
        }
        if (0 == u8(mem, base + ip))
        {
            if (0 != u8(mem, base + ip + 1) || payloadEnd - ip < TEREDO_ORIGIN_INDICATION_LENGTH + 40)
            {
                return false;
            }
            ip += TEREDO_ORIGIN_INDICATION_LENGTH;
        }
        if (ip + 40 > captured)
        {
            return false;
        }
        final long header = base + ip;
        final int payloadLength = u16(mem, header + 4);
        return 6 == u8(mem, header) >>> 4
            && 0 != u8(mem, header + 7)
            && (0 != u8(mem, header + 6) || payloadLength >= 8)
            && payloadEnd - ip == 40 + payloadLength;
    }

    /**
     * The cursor is at a payload {@link #isTeredo} took: an origin indication, if any (the only Teredo header
     * recorded as a layer), then IPv6.
     */
    private int teredo()
    {
        if (!failedInTeredo)
        {
            saveBeforeTeredo();
        }
        protocolBits |= Protocol.TEREDO.bit();
        if (0 == u8(mem, base + off))
        {
            if (!push(LayerType.TEREDO))
            {
                return STOP;
            }
            off += TEREDO_ORIGIN_INDICATION_LENGTH;
        }
        return enterTunnel(IPV6, false);
    }

    private void saveBeforeTeredo()
    {
        final int i = index;
        teredoLayers = layers;
        teredoBits = protocolBits;
        teredoMalformed = malformed;
        teredoSnapTruncated = snapTruncated;
        teredoKeyKind = out.keyKind[i];
        teredoIpVersion = out.ipVersion[i];
        teredoIpProtocol = out.ipProtocol[i];
        teredoSrcHi = out.srcHi[i];
        teredoSrcLo = out.srcLo[i];
        teredoDstHi = out.dstHi[i];
        teredoDstLo = out.dstLo[i];
        teredoSrcPort = out.srcPort[i];
        teredoDstPort = out.dstPort[i];
        teredoTunnelId = out.tunnelId[i];
    }

    /**
     * Suricata decodes what a Teredo payload carries as a packet of its own, and drops it, taking the payload for
     * plain UDP, when that packet is invalid: so the layers, bits and key found from there on are let go.
     */
    private void undoTeredo()
    {
        final int i = index;
        layers = teredoLayers;
        protocolBits = teredoBits;
        malformed = teredoMalformed;
        snapTruncated = teredoSnapTruncated;
        out.keyKind[i] = teredoKeyKind;
        out.ipVersion[i] = teredoIpVersion;
        out.ipProtocol[i] = teredoIpProtocol;
        out.srcHi[i] = teredoSrcHi;
        out.srcLo[i] = teredoSrcLo;
        out.dstHi[i] = teredoDstHi;
        out.dstLo[i] = teredoDstLo;
        out.srcPort[i] = teredoSrcPort;
        out.dstPort[i] = teredoDstPort;
        out.tunnelId[i] = teredoTunnelId;
    }

    private void setTunnelId(final long id)
    {
        final int i = index;
        if (ParsedPackets.NO_TUNNEL == out.tunnelId[i])
        {
            out.tunnelId[i] = id;
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Bookkeeping

    /**
     * Checks that {@code length} bytes from the cursor exist both on the wire (within the enclosing
     * header's length) and in the capture. A shortfall past the capture alone marks the packet
     * snap-truncated; any other marks it malformed with {@code reason}, unless inside a quoted header.
     */
    private boolean need(final int length, final Malformed reason)
    {
        final int end = off + length;
        if (end <= regionEnd && end <= captured)
        {
            return true;
        }
        if (quoted)
        {
            return false;
        }
        if (end <= regionEnd && captured < wire)
        {
            snapTruncated = true;
        }
        else if (inFirstFragment && reason != Malformed.NONE)
        {
            fail(Malformed.FRAGMENT_L4_TRUNCATED);
        }
        else
        {
            fail(reason);
        }
        return false;
    }

    private boolean push(final LayerType type)
    {
        if (layers == ParsedPackets.MAX_LAYERS)
        {
            fail(Malformed.LAYER_LIMIT);
            return false;
        }
        final int slot = layerBase + layers;
        out.layerType[slot] = (byte)(quoted ? type.code() | LayerType.QUOTED : type.code());
        out.layerOffset[slot] = (short)off;
        layers++;
        return true;
    }

    /** Marks the packet malformed and stops parsing it. */
    private int fail(final Malformed reason)
    {
        flag(reason);
        return STOP;
    }

    /** Marks the packet malformed (the first reason found is kept) without stopping. */
    private void flag(final Malformed reason)
    {
        failedInTeredo |= !quoted && teredoLayers >= 0;
        if (!quoted && Malformed.NONE == malformed)
        {
            malformed = reason;
        }
    }
}
