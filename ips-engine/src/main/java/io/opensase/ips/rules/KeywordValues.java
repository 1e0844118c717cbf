package io.opensase.ips.rules;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Parsers for the values of keywords that need no state of the rule around them: each takes the option's
 * value and returns the model object, or throws a {@link RuleException} naming the keyword.
 */
final class KeywordValues
{
    /** Resolves a number that may be a {@code byte_extract} variable of the rule being parsed. */
    @FunctionalInterface
    interface Operands
    {
        Operand operand(String keyword, String value, long min, long max);
    }

    private KeywordValues()
    {
    }

    static Tag tag(final String value)
    {
        final List<String> parts = Values.list(value);
        final Tag.Scope scope = switch (parts.get(0))
        {
            case "session" -> Tag.Scope.SESSION;
            case "host" -> Tag.Scope.HOST;
            default -> throw RuleException.badValue("tag", "'" + parts.get(0) + "' is not session or host");
        };
        if (parts.size() == 1)
        {
            return new Tag(scope, 256, Tag.Metric.PACKETS,
                scope == Tag.Scope.HOST ? Tag.HostSide.DST : Tag.HostSide.NONE);
        }
        if (parts.size() != 3 && parts.size() != 4)
        {
            throw RuleException.badValue("tag", "expected scope[,count,metric[,src|dst]]: '" + value + "'");
        }
        final long count = Values.number("tag", parts.get(1), 1, IntMatch.U32);
        final Tag.Metric metric = switch (parts.get(2))
        {
            case "packets" -> Tag.Metric.PACKETS;
            case "bytes" -> Tag.Metric.BYTES;
            case "seconds" -> Tag.Metric.SECONDS;
            default -> throw RuleException.badValue("tag", "'" + parts.get(2) + "' is not packets, bytes or seconds");
        };
        Tag.HostSide side = scope == Tag.Scope.HOST ? Tag.HostSide.DST : Tag.HostSide.NONE;
        if (parts.size() == 4)
        {
            if (scope != Tag.Scope.HOST)
            {
                throw RuleException.badValue("tag", "a direction is allowed for host tags only");
            }
            side = switch (parts.get(3))
            {
                case "src" -> Tag.HostSide.SRC;
                case "dst" -> Tag.HostSide.DST;
                default -> throw RuleException.badValue("tag", "'" + parts.get(3) + "' is not src or dst");
            };
        }
        return new Tag(scope, count, metric, side);
    }

    static NumberFormat.Base base(final String keyword, final String text)
    {
        return switch (text)
        {
            case "hex" -> NumberFormat.Base.HEX;
            case "dec" -> NumberFormat.Base.DEC;
            case "oct" -> NumberFormat.Base.OCT;
            default -> throw RuleException.badValue(keyword, "'" + text + "' is not hex, dec or oct");
        };
    }

    /**
     * The base of a {@code byte_test} or {@code byte_jump} number: binary without {@code string}, else the
     * base given, else {@link NumberFormat.Base#AUTO} (Suricata's unset base); a base without {@code string}
     * is refused, as Suricata refuses it.
     */
    private static NumberFormat.Base textBase(
        final String keyword,
        final boolean string,
        final NumberFormat.Base textBase)
    {
        if (!string)
        {
            if (null != textBase)
            {
                throw RuleException.badValue(keyword, textBase.name().toLowerCase(Locale.ROOT) + " needs 'string'");
            }
            return NumberFormat.Base.BINARY;
        }
        return null == textBase ? NumberFormat.Base.AUTO : textBase;
    }

    static void checkBytes(final String keyword, final int bytes, final NumberFormat.Base base)
    {
        final int max = base == NumberFormat.Base.BINARY ? 8 : 20;
        if (bytes < 1 || bytes > max)
        {
            throw RuleException.badValue(keyword, "number of bytes must be 1.." + max + " for this format");
        }
    }

    static ByteTest byteTest(final String value, final Operands operands)
    {
        final List<String> parts = Values.list(value);
        if (parts.size() < 4)
        {
            throw RuleException.badValue("byte_test", "expected bytes,operator,value,offset[,options]");
        }
        final int bytes = (int)Values.number("byte_test", parts.get(0), 0, 64);
        String op = parts.get(1).replace(" ", "");
        final boolean negated = op.startsWith("!") && !op.equals("!=");
        if (negated)
        {
            op = op.substring(1);
        }
        final ByteTest.Operator operator;
        final boolean negatedEq = op.equals("!=");
        operator = negatedEq ? ByteTest.Operator.EQ : ByteTest.Operator.bySymbol(op);
        if (null == operator)
        {
            throw RuleException.badValue("byte_test", "'" + parts.get(1) + "' is not an operator");
        }
        final Operand compared = operands.operand("byte_test", parts.get(2), 0, Long.MAX_VALUE);
        final Operand offset = operands.operand("byte_test", parts.get(3), -65535, 65535);
        boolean relative = false;
        boolean big = true;
        boolean endianGiven = false;
        boolean string = false;
        NumberFormat.Base textBase = null;
        long bitmask = 0;
        for (int k = 4; k < parts.size(); k++)
        {
            final String part = parts.get(k);
            switch (part)
            {
                case "relative" -> relative = true;
                case "big", "little" ->
                {
                    if (endianGiven)
                    {
                        throw RuleException.badValue("byte_test", "endianness given twice");
                    }
                    endianGiven = true;
                    big = part.equals("big");
                }
                case "string" -> string = true;
                case "hex", "dec", "oct" -> textBase = base("byte_test", part);
                case "dce" -> throw RuleException.unsupported("byte_test", "dce byte order needs DCE/RPC parsing");
                default ->
                {
                    if (part.startsWith("bitmask"))
                    {
                        bitmask = Values.number("byte_test", part.substring(7), 1, IntMatch.U32);
                    }
                    else
                    {
                        throw RuleException.badValue("byte_test", "unknown option '" + part + "'");
                    }
                }
            }
        }
        final NumberFormat.Base base = textBase("byte_test", string, textBase);
        if (base != NumberFormat.Base.BINARY && endianGiven)
        {
            throw RuleException.badValue("byte_test", "endianness has no meaning for string numbers");
        }
        if (0 == bytes && base == NumberFormat.Base.BINARY)
        {
            throw RuleException.badValue("byte_test", "0 bytes (the rest of the buffer) needs 'string'");
        }
        if (bytes > 0)
        {
            checkBytes("byte_test", bytes, base);
        }
        return new ByteTest(bytes, operator, negated || negatedEq, compared, offset, relative,
            new NumberFormat(big, base), bitmask);
    }

    static ByteJump byteJump(final String value, final Operands operands)
    {
        final List<String> parts = Values.list(value);
        if (parts.size() < 2)
        {
            throw RuleException.badValue("byte_jump", "expected bytes,offset[,options]");
        }
        final int bytes = (int)Values.number("byte_jump", parts.get(0), 0, 64);
        final Operand offset = operands.operand("byte_jump", parts.get(1), -65535, 65535);
        boolean relative = false;
        boolean big = true;
        boolean endianGiven = false;
        boolean string = false;
        NumberFormat.Base textBase = null;
        boolean align = false;
        ByteJump.From from = ByteJump.From.CURRENT;
        long multiplier = 1;
        long postOffset = 0;
        long bitmask = 0;
        for (int k = 2; k < parts.size(); k++)
        {
            final String part = parts.get(k);
            switch (part)
            {
                case "relative" -> relative = true;
                case "big", "little" ->
                {
                    if (endianGiven)
                    {
                        throw RuleException.badValue("byte_jump", "endianness given twice");
                    }
                    endianGiven = true;
                    big = part.equals("big");
                }
                case "string" -> string = true;
                case "hex", "dec", "oct" -> textBase = base("byte_jump", part);
                case "align" -> align = true;
                case "from_beginning", "from_end" ->
                {
                    if (from != ByteJump.From.CURRENT)
                    {
                        throw RuleException.badValue("byte_jump", "from_beginning and from_end together");
                    }
                    from = part.equals("from_end") ? ByteJump.From.END : ByteJump.From.BEGINNING;
                }
                case "dce" -> throw RuleException.unsupported("byte_jump", "dce byte order needs DCE/RPC parsing");
                default ->
                {
                    if (part.startsWith("multiplier"))
                    {
                        multiplier = Values.number("byte_jump", part.substring(10), 1, 65535);
                    }
                    else if (part.startsWith("post_offset"))
                    {
                        postOffset = Values.number("byte_jump", part.substring(11), -65535, 65535);
                    }
                    else if (part.startsWith("bitmask"))
                    {
                        bitmask = Values.number("byte_jump", part.substring(7), 1, IntMatch.U32);
                    }
                    else
                    {
                        throw RuleException.badValue("byte_jump", "unknown option '" + part + "'");
                    }
                }
            }
        }
        final NumberFormat.Base base = textBase("byte_jump", string, textBase);
        if (bytes == 0 && from != ByteJump.From.END)
        {
            throw RuleException.badValue("byte_jump", "0 bytes is allowed with from_end only");
        }
        if (bytes > 0)
        {
            checkBytes("byte_jump", bytes, base);
        }
        return new ByteJump(bytes, offset, relative, multiplier, new NumberFormat(big, base), align, from,
            postOffset, bitmask);
    }

    static IntMatch intMatch(final String keyword, final String value, final long max)
    {
        try
        {
            return IntMatch.parse(value, max);
        }
        catch (final IllegalArgumentException ex)
        {
            throw RuleException.badValue(keyword, ex.getMessage());
        }
    }

    static TcpFlags tcpFlags(final String value)
    {
        final List<String> parts = Values.list(value);
        if (parts.size() > 2)
        {
            throw RuleException.badValue("flags", "expected flags[,ignored flags]");
        }
        String f = parts.get(0);
        TcpFlags.Mode mode = TcpFlags.Mode.EXACT;
        final StringBuilder letters = new StringBuilder();
        for (final char c : f.toCharArray())
        {
            final TcpFlags.Mode m = switch (c)
            {
                case '+' -> TcpFlags.Mode.ALL;
                case '*' -> TcpFlags.Mode.ANY;
                case '!' -> TcpFlags.Mode.NOT;
                default -> null;
            };
            if (null == m)
            {
                letters.append(c);
            }
            else if (mode != TcpFlags.Mode.EXACT)
            {
                throw RuleException.badValue("flags", "two modifiers in '" + f + "'");
            }
            else
            {
                mode = m;
            }
        }
        final int flags = flagBits(letters.toString(), true);
        final int ignore = parts.size() == 2 ? flagBits(parts.get(1), false) : 0;
        return new TcpFlags(mode, flags, ignore);
    }

    private static int flagBits(final String letters, final boolean allowZero)
    {
        if (letters.isEmpty())
        {
            throw RuleException.badValue("flags", "no flag named");
        }
        if (letters.equals("0") && allowZero)
        {
            return 0;
        }
        int bits = 0;
        for (final char c : letters.toCharArray())
        {
            final int bit = switch (c)
            {
                case 'F' -> 0x01;
                case 'S' -> 0x02;
                case 'R' -> 0x04;
                case 'P' -> 0x08;
                case 'A' -> 0x10;
                case 'U' -> 0x20;
                case 'E', '2' -> 0x40;
                case 'C', '1' -> 0x80;
                default -> throw RuleException.badValue("flags", "'" + c + "' is not a TCP flag");
            };
            bits |= bit;
        }
        return bits;
    }

    static IpProtocol ipProto(final String value)
    {
        String v = value.strip();
        String prefix = "";
        if (v.startsWith("!") || v.startsWith("<") || v.startsWith(">"))
        {
            prefix = v.substring(0, 1);
            v = v.substring(1).strip();
        }
        final Integer named = IpProtocol.NAMES.get(v.toLowerCase(Locale.ROOT));
        final String number = null == named ? v : named.toString();
        if (!number.chars().allMatch(Character::isDigit))
        {
            throw RuleException.badValue("ip_proto", "'" + v + "' is not a protocol number or known name");
        }
        return new IpProtocol(intMatch("ip_proto", prefix + number, IntMatch.U8));
    }

    static VlanId vlanId(final String value)
    {
        final List<String> parts = Values.list(value);
        if (parts.size() > 2)
        {
            throw RuleException.badValue("vlan.id", "expected id[,layer]");
        }
        final IntMatch match = intMatch("vlan.id", parts.get(0), 4095);
        VlanId.Scope scope = VlanId.Scope.ANY;
        int layer = 0;
        if (parts.size() == 2)
        {
            switch (parts.get(1))
            {
                case "any" -> scope = VlanId.Scope.ANY;
                case "all" -> scope = VlanId.Scope.ALL;
                default ->
                {
                    scope = VlanId.Scope.LAYER;
                    layer = (int)Values.number("vlan.id", parts.get(1), -3, 2);
                }
            }
        }
        return new VlanId(match, scope, layer);
    }

    static FlowCondition flow(final String value)
    {
        FlowCondition.State state = FlowCondition.State.ANY;
        FlowCondition.Side side = FlowCondition.Side.ANY;
        FlowCondition.Mode mode = FlowCondition.Mode.ANY;
        for (final String part : Values.list(value))
        {
            final FlowCondition.State s = switch (part)
            {
                case "established" -> FlowCondition.State.ESTABLISHED;
                case "not_established" -> FlowCondition.State.NOT_ESTABLISHED;
                case "stateless" -> FlowCondition.State.STATELESS;
                default -> null;
            };
            final FlowCondition.Side d = switch (part)
            {
                case "to_server", "from_client" -> FlowCondition.Side.TO_SERVER;
                case "to_client", "from_server" -> FlowCondition.Side.TO_CLIENT;
                default -> null;
            };
            final FlowCondition.Mode m = switch (part)
            {
                case "only_stream" -> FlowCondition.Mode.ONLY_STREAM;
                case "no_stream" -> FlowCondition.Mode.NO_STREAM;
                default -> null;
            };
            if (null != s)
            {
                if (state != FlowCondition.State.ANY)
                {
                    throw RuleException.badValue("flow", "two connection states in '" + value + "'");
                }
                state = s;
            }
            else if (null != d)
            {
                if (side != FlowCondition.Side.ANY)
                {
                    throw RuleException.badValue("flow", "two directions in '" + value + "'");
                }
                side = d;
            }
            else if (null != m)
            {
                if (mode != FlowCondition.Mode.ANY)
                {
                    throw RuleException.badValue("flow", "two stream settings in '" + value + "'");
                }
                mode = m;
            }
            else if (part.equals("only_frag") || part.equals("no_frag"))
            {
                throw RuleException.unsupported("flow", part + " is not supported");
            }
            else
            {
                throw RuleException.badValue("flow", "'" + part + "' is not a flow option");
            }
        }
        return new FlowCondition(state, side, mode);
    }

    static StreamSize streamSize(final String value)
    {
        final List<String> parts = Values.list(value);
        if (parts.size() != 3)
        {
            throw RuleException.badValue("stream_size", "expected side,operator,bytes");
        }
        final StreamSize.Side side = switch (parts.get(0))
        {
            case "server" -> StreamSize.Side.SERVER;
            case "client" -> StreamSize.Side.CLIENT;
            case "both" -> StreamSize.Side.BOTH;
            case "either" -> StreamSize.Side.EITHER;
            default -> throw RuleException.badValue("stream_size", "'" + parts.get(0) + "' is not a side");
        };
        final String op = parts.get(1);
        if (!Set.of(">", "<", "=", "!=", ">=", "<=").contains(op))
        {
            throw RuleException.badValue("stream_size", "'" + op + "' is not an operator");
        }
        return new StreamSize(side,
            intMatch("stream_size", (op.equals("=") ? "" : op) + parts.get(2), IntMatch.U32));
    }

    static AppLayerProtocol appLayerProtocol(final String value)
    {
        final List<String> parts = Values.list(value);
        if (parts.size() > 1)
        {
            throw RuleException.unsupported("app-layer-protocol", "modes (',<mode>') are not supported");
        }
        String v = parts.get(0);
        final boolean negated = v.startsWith("!");
        if (negated)
        {
            v = v.substring(1).strip();
        }
        final AppLayerProtocol.Name name = switch (v)
        {
            case "http", "http1" -> AppLayerProtocol.Name.HTTP;
            case "tls" -> AppLayerProtocol.Name.TLS;
            case "dns" -> AppLayerProtocol.Name.DNS;
            case "unknown" -> AppLayerProtocol.Name.UNKNOWN;
            case "failed" -> AppLayerProtocol.Name.FAILED;
            default -> throw RuleException.unsupported("app-layer-protocol",
                "protocol '" + v + "' is not identified by the engine");
        };
        return new AppLayerProtocol(name, negated);
    }

    static SslState sslState(final String value)
    {
        int states = 0;
        int negated = 0;
        for (final String raw : value.split("[|,]"))
        {
            String s = raw.strip();
            final boolean not = s.startsWith("!");
            if (not)
            {
                s = s.substring(1).strip();
            }
            final int bit = switch (s)
            {
                case "client_hello" -> SslState.CLIENT_HELLO;
                case "server_hello" -> SslState.SERVER_HELLO;
                case "client_keyx" -> SslState.CLIENT_KEYX;
                case "server_keyx" -> SslState.SERVER_KEYX;
                case "unknown" -> SslState.UNKNOWN;
                default -> throw RuleException.badValue("ssl_state", "'" + s + "' is not an ssl state");
            };
            if (not)
            {
                negated |= bit;
            }
            else
            {
                states |= bit;
            }
        }
        return new SslState(states, negated);
    }

    static SslVersion sslVersion(final String value)
    {
        int versions = 0;
        int negated = 0;
        for (final String raw : Values.list(value))
        {
            String s = raw;
            final boolean not = s.startsWith("!");
            if (not)
            {
                s = s.substring(1).strip();
            }
            final int bit = switch (s)
            {
                case "sslv2" -> SslVersion.SSLV2;
                case "sslv3" -> SslVersion.SSLV3;
                case "tls1.0" -> SslVersion.TLS1_0;
                case "tls1.1" -> SslVersion.TLS1_1;
                case "tls1.2" -> SslVersion.TLS1_2;
                case "tls1.3" -> SslVersion.TLS1_3;
                default -> throw RuleException.badValue("ssl_version", "'" + s + "' is not an SSL/TLS version");
            };
            if (not)
            {
                negated |= bit;
            }
            else
            {
                versions |= bit;
            }
        }
        return new SslVersion(versions, negated);
    }

    static TlsVersion tlsVersion(final String value)
    {
        final String v = value.strip();
        final int version = switch (v)
        {
            case "1.0" -> 0x0301;
            case "1.1" -> 0x0302;
            case "1.2" -> 0x0303;
            case "1.3" -> 0x0304;
            default ->
            {
                if (!v.startsWith("0x"))
                {
                    throw RuleException.badValue("tls.version", "'" + v + "' is not 1.0..1.3 or 0xNNNN");
                }
                yield (int)Values.number("tls.version", v, 0, IntMatch.U16);
            }
        };
        return new TlsVersion(version);
    }

    static StateOp.Command command(final String keyword, final String text)
    {
        return switch (text)
        {
            case "set" -> StateOp.Command.SET;
            case "unset" -> StateOp.Command.UNSET;
            case "toggle" -> StateOp.Command.TOGGLE;
            case "isset" -> StateOp.Command.ISSET;
            case "isnotset" -> StateOp.Command.ISNOTSET;
            default -> throw RuleException.badValue(keyword, "'" + text + "' is not a command");
        };
    }

    static StateOp.Xbit xbits(final String value)
    {
        final List<String> parts = Values.list(value);
        if (parts.size() < 3 || parts.size() > 4)
        {
            throw RuleException.badValue("xbits", "expected command,name,track ip_src|ip_dst|ip_pair[,expire S]");
        }
        final StateOp.Command command = command("xbits", parts.get(0));
        final String name = parts.get(1);
        if (name.isEmpty() || name.indexOf(' ') >= 0)
        {
            throw RuleException.badValue("xbits", "'" + name + "' is not a bit name");
        }
        final String[] track = parts.get(2).split("\\s+");
        if (track.length != 2 || !track[0].equals("track"))
        {
            throw RuleException.badValue("xbits", "expected 'track ip_src|ip_dst|ip_pair', got '" + parts.get(2) + "'");
        }
        final StateOp.Track t = switch (track[1])
        {
            case "ip_src" -> StateOp.Track.IP_SRC;
            case "ip_dst" -> StateOp.Track.IP_DST;
            case "ip_pair" -> StateOp.Track.IP_PAIR;
            case "tx" -> throw RuleException.unsupported("xbits", "track tx is not supported");
            default -> throw RuleException.badValue("xbits", "'" + track[1] + "' is not ip_src, ip_dst or ip_pair");
        };
        long expire = StateOp.Xbit.DEFAULT_EXPIRE_SECONDS;
        if (parts.size() == 4)
        {
            final String[] e = parts.get(3).split("\\s+");
            if (e.length != 2 || !e[0].equals("expire"))
            {
                throw RuleException.badValue("xbits", "expected 'expire seconds', got '" + parts.get(3) + "'");
            }
            expire = Values.number("xbits", e[1], 1, IntMatch.U32);
        }
        return new StateOp.Xbit(command, name, t, expire);
    }

    private static Map<String, String> pairs(final String keyword, final String value, final Set<String> allowed)
    {
        final Map<String, String> map = new LinkedHashMap<>();
        for (final String part : Values.list(value))
        {
            final String[] kv = part.split("\\s+");
            if (kv.length != 2)
            {
                throw RuleException.badValue(keyword, "expected 'name value', got '" + part + "'");
            }
            if (!allowed.contains(kv[0]))
            {
                throw RuleException.unsupported(keyword, "option '" + kv[0] + "' is not supported");
            }
            if (null != map.put(kv[0], kv[1]))
            {
                throw RuleException.badValue(keyword, kv[0] + " given twice");
            }
        }
        if (!map.keySet().containsAll(allowed))
        {
            final Set<String> missing = new TreeSet<>(allowed);
            missing.removeAll(map.keySet());
            throw RuleException.badValue(keyword, "missing " + String.join(", ", missing));
        }
        return map;
    }

    private static Threshold.Track track(final String keyword, final String text)
    {
        return switch (text)
        {
            case "by_src" -> Threshold.Track.BY_SRC;
            case "by_dst" -> Threshold.Track.BY_DST;
            case "by_rule" -> Threshold.Track.BY_RULE;
            case "by_both" -> Threshold.Track.BY_BOTH;
            case "by_flow" -> throw RuleException.unsupported(keyword, "track by_flow is not supported");
            default -> throw RuleException.badValue(keyword, "'" + text + "' is not a track");
        };
    }

    static Threshold threshold(final String value)
    {
        final Map<String, String> map = pairs("threshold", value, Set.of("type", "track", "count", "seconds"));
        final Threshold.Type type = switch (map.get("type"))
        {
            case "limit" -> Threshold.Type.LIMIT;
            case "threshold" -> Threshold.Type.THRESHOLD;
            case "both" -> Threshold.Type.BOTH;
            case "backoff" -> throw RuleException.unsupported("threshold", "type backoff is not supported");
            default -> throw RuleException.badValue("threshold", "'" + map.get("type") + "' is not a type");
        };
        return new Threshold(type, track("threshold", map.get("track")),
            Values.number("threshold", map.get("count"), 1, IntMatch.U32),
            Values.number("threshold", map.get("seconds"), 1, IntMatch.U32));
    }

    static DetectionFilter detectionFilter(final String value)
    {
        final Map<String, String> map = pairs("detection_filter", value, Set.of("track", "count", "seconds"));
        return new DetectionFilter(track("detection_filter", map.get("track")),
            Values.number("detection_filter", map.get("count"), 1, IntMatch.U32),
            Values.number("detection_filter", map.get("seconds"), 1, IntMatch.U32));
    }
}
