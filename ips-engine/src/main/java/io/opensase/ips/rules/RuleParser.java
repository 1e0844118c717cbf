package io.opensase.ips.rules;

import io.opensase.ips.rules.pcre.PcreException;
import io.opensase.ips.rules.pcre.PcreTranslator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses one rule of the subset documented in {@code ips-engine/README.md} into a {@link Rule}, or throws a
 * {@link RuleException} saying why it cannot be loaded. Off the packet path; not thread-safe (it caches
 * resolved header fields), so use one per loading thread.
 * <p>
 * Checks run in this order, and the first failure is the one reported: header (action, protocol, arrow,
 * addresses, ports), option syntax, unknown keywords (all options are scanned before any is parsed, so a
 * rule using an unsupported keyword is always reported as such), then each option in rule order, then
 * whole-rule checks (sid, conflicts between options and with the header).
 */
public final class RuleParser
{
    private static final Set<String> OTHER_ACTIONS = Set.of("rejectsrc", "rejectdst", "rejectboth", "config");

    private final HeaderParser headers;
    private final Classifications classifications;

    /**
     * @param variables       what {@code $NAME}s in headers resolve to.
     * @param classifications the classes {@code classtype} may name, or null to accept any class (priority
     *                        then defaults to 3).
     */
    public RuleParser(final Variables variables, final Classifications classifications)
    {
        this.headers = new HeaderParser(variables);
        this.classifications = classifications;
    }

    /**
     * @param text   one rule, continuation lines already joined.
     * @param origin where it was read; its folder resolves {@code dataset} {@code load} files.
     * @throws RuleException when the rule cannot be loaded.
     */
    public Rule parse(final String text, final RuleSource origin)
    {
        final String rule = text.strip();
        final int open = rule.indexOf('(');
        if (open < 0)
        {
            throw new RuleException(SkipReason.Category.BAD_SYNTAX, "options", "no '(' starting the options");
        }
        if (!rule.endsWith(")"))
        {
            throw new RuleException(SkipReason.Category.BAD_SYNTAX, "options", "the rule does not end with ')'");
        }
        final RuleHeader header = header(rule.substring(0, open));
        final List<String[]> options = splitOptions(rule.substring(open + 1, rule.length() - 1));
        for (final String[] option : options)
        {
            if (null == Keyword.byName(option[0]))
            {
                throw new RuleException(SkipReason.Category.UNKNOWN_KEYWORD, option[0],
                    "keyword '" + option[0] + "' is not in the supported subset");
            }
        }
        final Builder builder = new Builder(header, null == origin ? RuleSource.TEXT : origin);
        for (final String[] option : options)
        {
            builder.option(Keyword.byName(option[0]), option[0], option[1]);
        }
        return builder.build(rule);
    }

    // ---------------------------------------------------------------- header

    private RuleHeader header(final String text)
    {
        final List<String> words = headerWords(text);
        if (words.isEmpty())
        {
            throw new RuleException(SkipReason.Category.BAD_HEADER, "header", "empty header");
        }
        final Action action = Action.byName(words.get(0));
        if (null == action)
        {
            if (OTHER_ACTIONS.contains(words.get(0)))
            {
                throw new RuleException(SkipReason.Category.UNSUPPORTED_ACTION, words.get(0),
                    "action '" + words.get(0) + "' is not in the subset");
            }
            throw new RuleException(SkipReason.Category.BAD_HEADER, "action",
                "'" + words.get(0) + "' is not an action");
        }
        if (words.size() < 2)
        {
            throw new RuleException(SkipReason.Category.BAD_HEADER, "header", "no protocol");
        }
        final String protocolName = words.get(1).toLowerCase(Locale.ROOT);
        final Protocol protocol = Protocol.byName(protocolName);
        if (null == protocol)
        {
            throw new RuleException(SkipReason.Category.UNSUPPORTED_PROTOCOL, protocolName,
                "protocol '" + protocolName + "' is not in the subset");
        }
        if (words.size() != 7)
        {
            throw new RuleException(SkipReason.Category.BAD_HEADER, "header",
                "expected 'action protocol source port -> destination port', got " + words.size() + " words");
        }
        final Direction direction = switch (words.get(4))
        {
            case "->" -> Direction.FORWARD;
            case "<>" -> Direction.BOTH;
            default -> throw new RuleException(SkipReason.Category.BAD_HEADER, "direction",
                "'" + words.get(4) + "' is not -> or <>");
        };
        return new RuleHeader(action, protocol,
            headers.addresses(words.get(2), "source"), headers.ports(words.get(3), "source"), direction,
            headers.addresses(words.get(5), "destination"), headers.ports(words.get(6), "destination"));
    }

    /** Splits at white space outside brackets. */
    private static List<String> headerWords(final String text)
    {
        final List<String> words = new ArrayList<>();
        final StringBuilder word = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c == '[')
            {
                depth++;
            }
            else if (c == ']')
            {
                depth--;
            }
            if (Character.isWhitespace(c))
            {
                if (depth > 0)
                {
                    continue;
                }
                if (!word.isEmpty())
                {
                    words.add(word.toString());
                    word.setLength(0);
                }
            }
            else
            {
                word.append(c);
            }
        }
        if (!word.isEmpty())
        {
            words.add(word.toString());
        }
        return words;
    }

    // ---------------------------------------------------------------- options

    /**
     * Splits {@code name[:value];} options. A value ends at the first {@code ;} not escaped by a backslash
     * (quotes do not protect it, as in Suricata). Returns {name, value or null}.
     */
    static List<String[]> splitOptions(final String body)
    {
        final List<String[]> options = new ArrayList<>();
        int i = 0;
        final int n = body.length();
        while (true)
        {
            while (i < n && Character.isWhitespace(body.charAt(i)))
            {
                i++;
            }
            if (i >= n)
            {
                break;
            }
            final int nameStart = i;
            while (i < n && body.charAt(i) != ':' && body.charAt(i) != ';')
            {
                i++;
            }
            final String name = body.substring(nameStart, i).strip();
            if (name.isEmpty())
            {
                throw new RuleException(SkipReason.Category.BAD_SYNTAX, "options", "empty option name");
            }
            if (i >= n)
            {
                throw new RuleException(SkipReason.Category.BAD_SYNTAX, "options",
                    "option '" + name + "' is not terminated by ';'");
            }
            if (body.charAt(i) == ';')
            {
                options.add(new String[] {name, null});
                i++;
                continue;
            }
            i++;
            final int valueStart = i;
            boolean escaped = false;
            while (i < n && (escaped || body.charAt(i) != ';'))
            {
                escaped = !escaped && body.charAt(i) == '\\';
                i++;
            }
            if (i >= n)
            {
                throw new RuleException(SkipReason.Category.BAD_SYNTAX, "options",
                    "option '" + name + "' is not terminated by ';'");
            }
            options.add(new String[] {name, body.substring(valueStart, i).strip()});
            i++;
        }
        return options;
    }

    /** A payload keyword placed in a buffer instance, in rule order. */
    private static final class Item
    {
        Buffer buffer;
        final int instance;
        final Object match;
        boolean moved;

        Item(final Buffer buffer, final int instance, final Object match)
        {
            this.buffer = buffer;
            this.instance = instance;
            this.match = match;
        }
    }

    /** A content whose modifiers are still being read. */
    private static final class ContentDraft
    {
        final byte[] pattern;
        final boolean negated;
        boolean nocase;
        Operand offset;
        Operand depth;
        Operand distance;
        Operand within;
        boolean startsWith;
        boolean endsWith;
        boolean rawbytes;
        ContentMatch.FastPattern fastPattern;
        Item item;

        ContentDraft(final byte[] pattern, final boolean negated)
        {
            this.pattern = pattern;
            this.negated = negated;
        }

        ContentMatch build()
        {
            return new ContentMatch(pattern, negated, nocase, offset, depth, distance, within, startsWith, endsWith,
                fastPattern);
        }
    }

    /** The state of one rule being parsed. */
    private final class Builder
    {
        final RuleHeader header;
        final RuleSource origin;
        long gid = 1;
        long sid = -1;
        long rev;
        String msg;
        String classtype;
        int priority = -1;
        RuleMeta.Target target;
        boolean noalert;
        final List<RuleMeta.Reference> references = new ArrayList<>();
        final List<RuleMeta.Metadata> metadata = new ArrayList<>();
        final List<Tag> tags = new ArrayList<>();
        FlowCondition flow;
        final List<Condition> conditions = new ArrayList<>();
        final List<StateOp> stateOps = new ArrayList<>();
        Threshold threshold;
        DetectionFilter detectionFilter;
        final List<Item> items = new ArrayList<>();
        final List<String> variables = new ArrayList<>();
        final List<Item> variableItems = new ArrayList<>();
        final Set<AppProtocol> apps = EnumSet.noneOf(AppProtocol.class);
        final Set<String> packetKeywords = new java.util.HashSet<>();
        final Map<Buffer, Integer> instances = new EnumMap<>(Buffer.class);
        Buffer sticky;
        int stickyInstance;
        ContentDraft lastContent;
        boolean fastPatternSeen;
        int base64Decodes;

        Builder(final RuleHeader header, final RuleSource origin)
        {
            this.header = header;
            this.origin = origin;
        }

        void option(final Keyword keyword, final String name, final String value)
        {
            // An exhaustive switch expression: a keyword added to the table without a parser does not compile.
            final Runnable parser = switch (keyword)
            {
                case MSG -> () -> msg = Values.text(Values.unescape(Values.unquote(required(name, value))));
                case SID -> () -> sid = Values.number(name, required(name, value), 1, IntMatch.U32);
                case REV -> () -> rev = Values.number(name, required(name, value), 0, IntMatch.U32);
                case GID -> () -> gid = Values.number(name, required(name, value), 0, IntMatch.U32);
                case CLASSTYPE -> () -> classtype(required(name, value));
                case PRIORITY -> () -> priority = (int)Values.number(name, required(name, value), 1, 255);
                case REFERENCE -> () -> reference(required(name, value));
                case METADATA -> () -> metadata(required(name, value));
                case TARGET -> () -> target(required(name, value));
                case NOALERT -> () ->
                {
                    noValue(name, value);
                    noalert = true;
                };
                case TAG -> () -> tags.add(tag(required(name, value)));
                case CONTENT -> () -> content(required(name, value));
                case PCRE -> () -> pcre(required(name, value));
                case ISDATAAT -> () -> isDataAt(required(name, value));
                case BSIZE -> () -> bsize(required(name, value));
                case BYTE_TEST -> () -> add(byteTest(required(name, value)));
                case BYTE_JUMP -> () -> add(byteJump(required(name, value)));
                case BYTE_EXTRACT -> () -> byteExtract(required(name, value));
                case BASE64_DECODE -> () -> base64Decode(value);
                case DATASET -> () -> dataset(required(name, value));
                case NOCASE, RAWBYTES, STARTSWITH, ENDSWITH -> () -> flagModifier(keyword, name, value);
                case OFFSET, DEPTH, DISTANCE, WITHIN -> () -> positionModifier(keyword, name, required(name, value));
                case FAST_PATTERN -> () -> fastPattern(value);
                case DSIZE -> () -> headerInt(HeaderInt.Field.PAYLOAD_SIZE, value);
                case ACK -> () -> headerInt(HeaderInt.Field.TCP_ACK, value);
                case SEQ -> () -> headerInt(HeaderInt.Field.TCP_SEQ, value);
                case WINDOW -> () -> headerInt(HeaderInt.Field.TCP_WINDOW, value);
                case ID -> () -> headerInt(HeaderInt.Field.IP_ID, value);
                case TTL -> () -> headerInt(HeaderInt.Field.IP_TTL, value);
                case ITYPE -> () -> headerInt(HeaderInt.Field.ICMP_TYPE, value);
                case ICODE -> () -> headerInt(HeaderInt.Field.ICMP_CODE, value);
                case FLAGS -> () -> tcpFlags(required(name, value));
                case IP_PROTO -> () -> ipProto(required(name, value));
                case VLAN_ID -> () -> vlanId(required(name, value));
                case FLOW -> () -> flow(required(name, value));
                case STREAM_SIZE -> () -> streamSize(required(name, value));
                case APP_LAYER_PROTOCOL -> () -> appLayerProtocol(required(name, value));
                case URILEN -> () -> urilen(required(name, value));
                case SSL_STATE -> () -> sslState(required(name, value));
                case SSL_VERSION -> () -> sslVersion(required(name, value));
                case TLS_VERSION -> () -> tlsVersion(required(name, value));
                case FLOWBITS -> () -> flowbits(required(name, value));
                case XBITS -> () -> xbits(required(name, value));
                case THRESHOLD -> () -> threshold(required(name, value));
                case DETECTION_FILTER -> () -> detectionFilter(required(name, value));
                case HTTP_URI, HTTP_URI_RAW, HTTP_HOST, HTTP_HOST_RAW, HTTP_METHOD, HTTP_HEADER, HTTP_HEADER_NAMES,
                     HTTP_USER_AGENT, HTTP_COOKIE, HTTP_CONTENT_TYPE, HTTP_CONTENT_LEN, HTTP_REFERER, HTTP_ACCEPT,
                     HTTP_ACCEPT_ENC, HTTP_ACCEPT_LANG, HTTP_REQUEST_LINE, HTTP_REQUEST_BODY, HTTP_STAT_CODE,
                     HTTP_STAT_MSG, HTTP_RESPONSE_LINE, HTTP_SERVER, HTTP_LOCATION, FILE_DATA, TLS_SNI,
                     TLS_CERT_SUBJECT, TLS_CERT_ISSUER, TLS_CERT_SERIAL, TLS_CERT_FINGERPRINT, TLS_ALPN, TLS_RANDOM,
                     JA3_HASH, JA3S_HASH, DNS_QUERY, IPV6_HDR, BASE64_DATA, FILE_DATA_LEGACY,
                     HTTP_REQUEST_LINE_LEGACY, HTTP_RESPONSE_LINE_LEGACY, HTTP_ACCEPT_LEGACY, HTTP_ACCEPT_ENC_LEGACY,
                     HTTP_ACCEPT_LANG_LEGACY, HTTP_REFERER_LEGACY, HTTP_CONTENT_TYPE_LEGACY,
                     HTTP_CONTENT_LEN_LEGACY, HTTP_HEADER_NAMES_LEGACY, TLS_SNI_LEGACY, TLS_CERT_SUBJECT_LEGACY,
                     TLS_CERT_ISSUER_LEGACY, TLS_CERT_SERIAL_LEGACY, TLS_CERT_FINGERPRINT_LEGACY, JA3_HASH_LEGACY,
                     JA3S_HASH_LEGACY, DNS_QUERY_LEGACY -> () ->
                {
                    noValue(name, value);
                    select(keyword.buffer());
                };
                case HTTP_URI_MODIFIER, HTTP_RAW_URI_MODIFIER, HTTP_HOST_MODIFIER, HTTP_RAW_HOST_MODIFIER,
                     HTTP_METHOD_MODIFIER, HTTP_HEADER_MODIFIER, HTTP_USER_AGENT_MODIFIER, HTTP_COOKIE_MODIFIER,
                     HTTP_CLIENT_BODY_MODIFIER, HTTP_STAT_CODE_MODIFIER, HTTP_STAT_MSG_MODIFIER -> () ->
                {
                    noValue(name, value);
                    moveLastContent(name, keyword.buffer());
                };
            };
            parser.run();
        }

        private void target(final String value)
        {
            target = switch (value)
            {
                case "src_ip" -> RuleMeta.Target.SRC_IP;
                case "dest_ip" -> RuleMeta.Target.DEST_IP;
                default -> throw RuleException.badValue("target", "'" + value + "' is not src_ip or dest_ip");
            };
        }

        private String required(final String name, final String value)
        {
            if (null == value || value.isEmpty())
            {
                throw RuleException.badValue(name, "a value is required");
            }
            return value;
        }

        private void noValue(final String name, final String value)
        {
            if (null != value)
            {
                throw RuleException.badValue(name, "takes no value, got '" + value + "'");
            }
        }

        // ---- meta

        private void classtype(final String value)
        {
            final String name = value.strip();
            if (!name.matches("[A-Za-z0-9_-]+"))
            {
                throw RuleException.badValue("classtype", "'" + name + "' is not a class name");
            }
            if (null != classifications && null == classifications.get(name))
            {
                throw RuleException.badValue("classtype", "class '" + name + "' is not in classification.config");
            }
            classtype = name;
        }

        private void reference(final String value)
        {
            final int comma = value.indexOf(',');
            if (comma <= 0 || comma == value.length() - 1)
            {
                throw RuleException.badValue("reference", "expected type,id: '" + value + "'");
            }
            references.add(new RuleMeta.Reference(value.substring(0, comma).strip(),
                Values.text(Values.unquote(value.substring(comma + 1)))));
        }

        private void metadata(final String value)
        {
            for (final String item : Values.list(value))
            {
                if (item.isEmpty())
                {
                    continue;
                }
                final int space = item.indexOf(' ');
                metadata.add(space < 0 ? new RuleMeta.Metadata(item, "")
                    : new RuleMeta.Metadata(item.substring(0, space), Values.text(item.substring(space + 1).strip())));
            }
        }

        private Tag tag(final String value)
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

        // ---- buffers

        private void select(final Buffer buffer)
        {
            if (buffer == Buffer.BASE64_DATA && 0 == base64Decodes)
            {
                throw RuleException.conflict("base64_data", "base64_data without a base64_decode before it");
            }
            sticky = buffer;
            if (buffer.multi())
            {
                stickyInstance = instances.merge(buffer, 1, Integer::sum);
            }
            else
            {
                stickyInstance = 0;
            }
        }

        private Buffer current()
        {
            return null == sticky ? Buffer.PAYLOAD : sticky;
        }

        private Item add(final Object match)
        {
            final Item item = new Item(current(), stickyInstance, match);
            items.add(item);
            return item;
        }

        private void moveLastContent(final String name, final Buffer buffer)
        {
            if (null == lastContent)
            {
                throw RuleException.badValue(name, name + " needs a content before it");
            }
            final Item item = lastContent.item;
            if (item.moved)
            {
                throw RuleException.conflict("content modifiers",
                    name + " on a content already moved to " + item.buffer.ruleName());
            }
            if (item.buffer != Buffer.PAYLOAD)
            {
                throw RuleException.conflict("content modifiers",
                    name + " on a content inside sticky buffer " + item.buffer.ruleName());
            }
            item.buffer = buffer;
            item.moved = true;
        }

        // ---- payload keywords

        private void content(final String value)
        {
            String v = value.strip();
            final boolean negated = v.startsWith("!");
            if (negated)
            {
                v = v.substring(1);
            }
            final ContentDraft draft = new ContentDraft(Values.contentBytes("content", Values.quoted("content", v)),
                negated);
            draft.item = add(draft);
            lastContent = draft;
        }

        private ContentDraft lastContent(final String name)
        {
            if (null == lastContent)
            {
                throw RuleException.badValue(name, name + " needs a content before it");
            }
            return lastContent;
        }

        private void flagModifier(final Keyword keyword, final String name, final String value)
        {
            noValue(name, value);
            final ContentDraft c = lastContent(name);
            switch (keyword)
            {
                case NOCASE ->
                {
                    if (c.nocase)
                    {
                        throw RuleException.badValue(name, "nocase given twice for one content");
                    }
                    c.nocase = true;
                }
                case RAWBYTES -> c.rawbytes = true;
                case STARTSWITH ->
                {
                    if (c.startsWith)
                    {
                        throw RuleException.badValue(name, "startswith given twice for one content");
                    }
                    c.startsWith = true;
                }
                case ENDSWITH ->
                {
                    if (c.endsWith)
                    {
                        throw RuleException.badValue(name, "endswith given twice for one content");
                    }
                    c.endsWith = true;
                }
                default -> throw new IllegalStateException(keyword.toString());
            }
        }

        private void positionModifier(final Keyword keyword, final String name, final String value)
        {
            final ContentDraft c = lastContent(name);
            final Operand operand = switch (keyword)
            {
                case OFFSET -> operand(name, value, 0, 65535);
                case DEPTH -> operand(name, value, 1, 65535);
                case DISTANCE -> operand(name, value, -65535, 65535);
                case WITHIN -> operand(name, value, 1, 65535);
                default -> throw new IllegalStateException(keyword.toString());
            };
            final Operand previous = switch (keyword)
            {
                case OFFSET -> c.offset;
                case DEPTH -> c.depth;
                case DISTANCE -> c.distance;
                default -> c.within;
            };
            if (null != previous)
            {
                throw RuleException.badValue(name, name + " given twice for one content");
            }
            switch (keyword)
            {
                case OFFSET -> c.offset = operand;
                case DEPTH -> c.depth = operand;
                case DISTANCE -> c.distance = operand;
                default -> c.within = operand;
            }
        }

        private void fastPattern(final String value)
        {
            final ContentDraft c = lastContent("fast_pattern");
            if (fastPatternSeen)
            {
                throw RuleException.badValue("fast_pattern", "fast_pattern given for two contents");
            }
            fastPatternSeen = true;
            if (null == value || value.equals("only"))
            {
                c.fastPattern = ContentMatch.FastPattern.WHOLE;
                return;
            }
            final List<String> parts = Values.list(value);
            if (parts.size() != 2)
            {
                throw RuleException.badValue("fast_pattern", "expected 'only' or offset,length: '" + value + "'");
            }
            final int offset = (int)Values.number("fast_pattern", parts.get(0), 0, 65535);
            final int length = (int)Values.number("fast_pattern", parts.get(1), 1, 65535);
            if (offset + length > c.pattern.length)
            {
                throw RuleException.badValue("fast_pattern",
                    "slice " + offset + "," + length + " runs past the " + c.pattern.length + "-byte pattern");
            }
            c.fastPattern = new ContentMatch.FastPattern(offset, length);
        }

        /** A number or an earlier byte_extract variable. */
        private Operand operand(final String name, final String value, final long min, final long max)
        {
            final String v = value.strip();
            if (Values.isName(v))
            {
                final int slot = variables.indexOf(v);
                if (slot < 0)
                {
                    throw RuleException.badValue(name, "'" + v + "' is not a byte_extract variable defined before");
                }
                return new Operand(0, v, slot);
            }
            return Operand.of(Values.number(name, v, min, max));
        }

        private void pcre(final String value)
        {
            String v = value.strip();
            final boolean negated = v.startsWith("!");
            if (negated)
            {
                v = v.substring(1).strip();
            }
            final String body = Values.quoted("pcre", v);
            final int last = body.lastIndexOf('/');
            if (!body.startsWith("/") || last <= 0)
            {
                throw RuleException.badValue("pcre", "expected \"/expression/modifiers\"");
            }
            final String source = body.substring(1, last);
            final String modifiers = body.substring(last + 1);
            if (modifiers.indexOf(',') >= 0)
            {
                throw RuleException.unsupported("pcre", "capturing into a variable (',var' after the modifiers)");
            }
            boolean caseless = false;
            boolean dotAll = false;
            boolean multiline = false;
            boolean extended = false;
            boolean anchored = false;
            boolean dollarEndOnly = false;
            boolean ungreedy = false;
            boolean relative = false;
            Buffer buffer = null;
            for (final char m : modifiers.toCharArray())
            {
                Buffer b = null;
                switch (m)
                {
                    case 'i' -> caseless = true;
                    case 's' -> dotAll = true;
                    case 'm' -> multiline = true;
                    case 'x' -> extended = true;
                    case 'A' -> anchored = true;
                    case 'E' -> dollarEndOnly = true;
                    case 'G' -> ungreedy = true;
                    case 'R' -> relative = true;
                    case 'B', 'O' ->
                    {
                        // B: Snort compatibility, no effect. O: no match-limit override needed (no limit here).
                    }
                    case 'U' -> b = Buffer.HTTP_URI;
                    case 'I' -> b = Buffer.HTTP_URI_RAW;
                    case 'P' -> b = Buffer.HTTP_REQUEST_BODY;
                    case 'H' -> b = Buffer.HTTP_HEADER;
                    case 'M' -> b = Buffer.HTTP_METHOD;
                    case 'C' -> b = Buffer.HTTP_COOKIE;
                    case 'S' -> b = Buffer.HTTP_STAT_CODE;
                    case 'Y' -> b = Buffer.HTTP_STAT_MSG;
                    case 'V' -> b = Buffer.HTTP_USER_AGENT;
                    case 'W' -> b = Buffer.HTTP_HOST;
                    case 'Z' -> b = Buffer.HTTP_HOST_RAW;
                    case 'Q', 'D' -> throw RuleException.unsupported("pcre",
                        "modifier " + m + " selects a buffer outside the subset");
                    default -> throw RuleException.badValue("pcre", "unknown modifier '" + m + "'");
                }
                if (null != b)
                {
                    if (null != buffer && buffer != b)
                    {
                        throw RuleException.conflict("pcre", "two buffer modifiers in '" + modifiers + "'");
                    }
                    buffer = b;
                }
            }
            final PcreTranslator.Translation t;
            try
            {
                t = PcreTranslator.translate(source, new PcreTranslator.Options(caseless, dotAll, multiline, extended,
                    anchored, dollarEndOnly, ungreedy));
            }
            catch (final PcreException ex)
            {
                if (ex.invalid())
                {
                    throw RuleException.badValue("pcre", ex.getMessage());
                }
                throw new RuleException(SkipReason.Category.UNSUPPORTED_PCRE, ex.feature(), ex.getMessage());
            }
            final PcreMatch match = new PcreMatch(source, modifiers, negated, relative, t.javaRegex(), t.javaFlags(),
                t.hyperscanExact(), t.hyperscanNote());
            if (null == buffer)
            {
                add(match);
                return;
            }
            if (null != sticky && sticky != buffer)
            {
                throw RuleException.conflict("pcre",
                    "buffer modifier for " + buffer.ruleName() + " inside sticky buffer " + sticky.ruleName());
            }
            final Item item = new Item(buffer, 0, match);
            items.add(item);
        }

        private void isDataAt(final String value)
        {
            final List<String> parts = Values.list(value);
            String first = parts.get(0);
            final boolean negated = first.startsWith("!");
            if (negated)
            {
                first = first.substring(1).strip();
            }
            final Operand offset = operand("isdataat", first, 0, 65535);
            boolean relative = false;
            for (final String part : parts.subList(1, parts.size()))
            {
                switch (part)
                {
                    case "relative" -> relative = true;
                    case "rawbytes" ->
                    {
                        // no effect, as in Suricata
                    }
                    default -> throw RuleException.badValue("isdataat", "unknown option '" + part + "'");
                }
            }
            add(new IsDataAt(offset, negated, relative));
        }

        private void bsize(final String value)
        {
            if (null == sticky)
            {
                throw RuleException.conflict("bsize", "bsize needs a sticky buffer before it");
            }
            add(new BufferSize(intMatch("bsize", value, IntMatch.U63)));
        }

        private void urilen(final String value)
        {
            final List<String> parts = Values.list(value);
            Buffer buffer = Buffer.HTTP_URI;
            if (parts.size() == 2)
            {
                buffer = switch (parts.get(1))
                {
                    case "norm" -> Buffer.HTTP_URI;
                    case "raw" -> Buffer.HTTP_URI_RAW;
                    default -> throw RuleException.badValue("urilen", "'" + parts.get(1) + "' is not norm or raw");
                };
            }
            else if (parts.size() != 1)
            {
                throw RuleException.badValue("urilen", "expected length[,norm|raw]: '" + value + "'");
            }
            items.add(new Item(buffer, 0, new BufferSize(intMatch("urilen", parts.get(0), IntMatch.U16))));
        }

        private NumberFormat.Base base(final String keyword, final String text)
        {
            return switch (text)
            {
                case "hex" -> NumberFormat.Base.HEX;
                case "dec" -> NumberFormat.Base.DEC;
                case "oct" -> NumberFormat.Base.OCT;
                default -> throw RuleException.badValue(keyword, "'" + text + "' is not hex, dec or oct");
            };
        }

        private static void checkBytes(final String keyword, final int bytes, final NumberFormat.Base base)
        {
            final int max = base == NumberFormat.Base.BINARY ? 8 : 20;
            if (bytes < 1 || bytes > max)
            {
                throw RuleException.badValue(keyword, "number of bytes must be 1.." + max + " for this format");
            }
        }

        private ByteTest byteTest(final String value)
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
            final Operand compared = operand("byte_test", parts.get(2), 0, Long.MAX_VALUE);
            final Operand offset = operand("byte_test", parts.get(3), -65535, 65535);
            boolean relative = false;
            boolean big = true;
            boolean endianGiven = false;
            NumberFormat.Base base = NumberFormat.Base.BINARY;
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
                    case "string" -> base = NumberFormat.Base.DEC;
                    case "hex", "dec", "oct" -> base = base("byte_test", part);
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

        private ByteJump byteJump(final String value)
        {
            final List<String> parts = Values.list(value);
            if (parts.size() < 2)
            {
                throw RuleException.badValue("byte_jump", "expected bytes,offset[,options]");
            }
            final int bytes = (int)Values.number("byte_jump", parts.get(0), 0, 64);
            final Operand offset = operand("byte_jump", parts.get(1), -65535, 65535);
            boolean relative = false;
            boolean big = true;
            boolean endianGiven = false;
            boolean string = false;
            NumberFormat.Base base = NumberFormat.Base.BINARY;
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
                    case "string" ->
                    {
                        string = true;
                        base = NumberFormat.Base.DEC;
                    }
                    case "hex", "dec", "oct" -> base = base("byte_jump", part);
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
            if (!string && base != NumberFormat.Base.BINARY)
            {
                throw RuleException.badValue("byte_jump", base.name().toLowerCase(Locale.ROOT) + " needs 'string'");
            }
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

        private void byteExtract(final String value)
        {
            final List<String> parts = Values.list(value);
            if (parts.size() < 3)
            {
                throw RuleException.badValue("byte_extract", "expected bytes,offset,name[,options]");
            }
            final int bytes = (int)Values.number("byte_extract", parts.get(0), 1, 64);
            final long offset = Values.number("byte_extract", parts.get(1), -65535, 65535);
            final String name = parts.get(2);
            if (!Values.isName(name))
            {
                throw RuleException.badValue("byte_extract", "'" + name + "' is not a variable name");
            }
            if (variables.contains(name))
            {
                throw RuleException.badValue("byte_extract", "variable '" + name + "' defined twice");
            }
            boolean relative = false;
            boolean big = true;
            boolean endianGiven = false;
            boolean string = false;
            NumberFormat.Base base = NumberFormat.Base.BINARY;
            long multiplier = 1;
            int align = 0;
            for (int k = 3; k < parts.size(); k++)
            {
                final String part = parts.get(k);
                switch (part)
                {
                    case "relative" -> relative = true;
                    case "big", "little" ->
                    {
                        if (endianGiven)
                        {
                            throw RuleException.badValue("byte_extract", "endianness given twice");
                        }
                        endianGiven = true;
                        big = part.equals("big");
                    }
                    case "string" ->
                    {
                        string = true;
                        base = NumberFormat.Base.DEC;
                    }
                    case "hex", "dec", "oct" -> base = base("byte_extract", part);
                    case "dce" -> throw RuleException.unsupported("byte_extract", "dce byte order needs DCE/RPC parsing");
                    default ->
                    {
                        if (part.startsWith("multiplier"))
                        {
                            multiplier = Values.number("byte_extract", part.substring(10), 1, 65535);
                        }
                        else if (part.startsWith("align"))
                        {
                            align = (int)Values.number("byte_extract", part.substring(5), 2, 4);
                            if (align == 3)
                            {
                                throw RuleException.badValue("byte_extract", "align must be 2 or 4");
                            }
                        }
                        else
                        {
                            throw RuleException.badValue("byte_extract", "unknown option '" + part + "'");
                        }
                    }
                }
            }
            if (!string && base != NumberFormat.Base.BINARY)
            {
                throw RuleException.badValue("byte_extract", base.name().toLowerCase(Locale.ROOT) + " needs 'string'");
            }
            checkBytes("byte_extract", bytes, base);
            variables.add(name);
            final Item item = add(new ByteExtract(bytes, offset, name, variables.size() - 1, relative, multiplier,
                new NumberFormat(big, base), align));
            variableItems.add(item);
        }

        private void base64Decode(final String value)
        {
            if (current() == Buffer.BASE64_DATA)
            {
                throw RuleException.conflict("base64_decode", "base64_decode inside base64_data");
            }
            if (++base64Decodes > 1)
            {
                throw RuleException.conflict("base64_decode", "more than one base64_decode in a rule");
            }
            long bytes = 0;
            long offset = 0;
            boolean relative = false;
            if (null != value && !value.isEmpty())
            {
                for (final String part : Values.list(value))
                {
                    if (part.equals("relative"))
                    {
                        relative = true;
                    }
                    else if (part.startsWith("bytes"))
                    {
                        bytes = Values.number("base64_decode", part.substring(5), 1, IntMatch.U32);
                    }
                    else if (part.startsWith("offset"))
                    {
                        offset = Values.number("base64_decode", part.substring(6), 0, IntMatch.U32);
                    }
                    else
                    {
                        throw RuleException.badValue("base64_decode", "unknown option '" + part + "'");
                    }
                }
            }
            add(new Base64Decode(bytes, offset, relative));
        }

        private void dataset(final String value)
        {
            if (null == sticky)
            {
                throw RuleException.conflict("dataset", "dataset needs a sticky buffer before it");
            }
            final List<String> parts = Values.list(value);
            if (parts.size() < 2)
            {
                throw RuleException.badValue("dataset", "expected command,name[,options]");
            }
            final DatasetMatch.Command command = switch (parts.get(0))
            {
                case "set" -> DatasetMatch.Command.SET;
                case "unset" -> DatasetMatch.Command.UNSET;
                case "isset" -> DatasetMatch.Command.ISSET;
                case "isnotset" -> DatasetMatch.Command.ISNOTSET;
                default -> throw RuleException.badValue("dataset", "'" + parts.get(0) + "' is not a dataset command");
            };
            final String name = parts.get(1);
            if (!name.matches("[A-Za-z0-9_.-]+"))
            {
                throw RuleException.badValue("dataset", "'" + name + "' is not a set name");
            }
            String type = null;
            Path load = null;
            long memcap = 0;
            long hashsize = 0;
            for (final String part : parts.subList(2, parts.size()))
            {
                final int space = part.indexOf(' ');
                final String key = space < 0 ? part : part.substring(0, space);
                final String arg = space < 0 ? "" : part.substring(space + 1).strip();
                switch (key)
                {
                    case "type" -> type = arg;
                    case "load" ->
                    {
                        if (arg.isEmpty())
                        {
                            throw RuleException.badValue("dataset", "load needs a file name");
                        }
                        final Path base = null == origin.file() || null == origin.file().getParent()
                            ? Path.of("") : origin.file().getParent();
                        load = base.resolve(arg).normalize();
                    }
                    case "memcap" -> memcap = IntMatch.number(arg, Long.MAX_VALUE, part);
                    case "hashsize" -> hashsize = Values.number("dataset", arg, 1, IntMatch.U32);
                    case "state", "save" -> throw RuleException.unsupported("dataset",
                        key + " writes the set to disk; not supported");
                    default -> throw RuleException.unsupported("dataset", "option '" + key + "' is not supported");
                }
            }
            if (null == type)
            {
                throw RuleException.badValue("dataset", "type is required");
            }
            if (!type.equals("string"))
            {
                throw RuleException.unsupported("dataset", "type '" + type + "' (only string sets are supported)");
            }
            add(new DatasetMatch(command, name, load, memcap, hashsize));
        }

        // ---- packet, flow, app-layer keywords

        private IntMatch intMatch(final String keyword, final String value, final long max)
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

        private void headerInt(final HeaderInt.Field field, final String value)
        {
            if (!packetKeywords.add(field.keyword()))
            {
                throw RuleException.badValue(field.keyword(), field.keyword() + " given twice");
            }
            conditions.add(new HeaderInt(field, intMatch(field.keyword(), required(field.keyword(), value), field.max())));
        }

        private void tcpFlags(final String value)
        {
            if (!packetKeywords.add("flags"))
            {
                throw RuleException.badValue("flags", "flags given twice");
            }
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
            conditions.add(new TcpFlags(mode, flags, ignore));
        }

        private int flagBits(final String letters, final boolean allowZero)
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

        private void ipProto(final String value)
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
            conditions.add(new IpProtocol(intMatch("ip_proto", prefix + number, IntMatch.U8)));
        }

        private void vlanId(final String value)
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
            conditions.add(new VlanId(match, scope, layer));
        }

        private void flow(final String value)
        {
            if (null != flow)
            {
                throw RuleException.badValue("flow", "flow given twice");
            }
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
            flow = new FlowCondition(state, side, mode);
        }

        private void streamSize(final String value)
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
            conditions.add(new StreamSize(side,
                intMatch("stream_size", (op.equals("=") ? "" : op) + parts.get(2), IntMatch.U32)));
        }

        private void appLayerProtocol(final String value)
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
            conditions.add(new AppLayerProtocol(name, negated));
        }

        private void sslState(final String value)
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
            apps.add(AppProtocol.TLS);
            conditions.add(new SslState(states, negated));
        }

        private void sslVersion(final String value)
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
            apps.add(AppProtocol.TLS);
            conditions.add(new SslVersion(versions, negated));
        }

        private void tlsVersion(final String value)
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
            apps.add(AppProtocol.TLS);
            conditions.add(new TlsVersion(version));
        }

        // ---- state and rate

        private StateOp.Command command(final String keyword, final String text)
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

        private void flowbits(final String value)
        {
            final List<String> parts = Values.list(value);
            if (parts.size() == 1 && parts.get(0).equals("noalert"))
            {
                noalert = true;
                return;
            }
            if (parts.size() != 2)
            {
                throw RuleException.badValue("flowbits", "expected command,name or noalert");
            }
            final StateOp.Command command = command("flowbits", parts.get(0));
            final String names = parts.get(1);
            if (names.indexOf('&') >= 0)
            {
                throw RuleException.unsupported("flowbits", "'&' (all of several bits) is not supported");
            }
            final List<String> list = new ArrayList<>();
            for (final String n : names.split("\\|", -1))
            {
                final String name = n.strip();
                if (name.isEmpty() || name.indexOf(' ') >= 0)
                {
                    throw RuleException.badValue("flowbits", "'" + names + "' is not a bit name");
                }
                list.add(name);
            }
            if (list.size() > 1 && !command.isTest())
            {
                throw RuleException.badValue("flowbits", "several names ('|') are for isset and isnotset only");
            }
            stateOps.add(new StateOp.Flowbit(command, list));
        }

        private void xbits(final String value)
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
            long expire = 0;
            if (parts.size() == 4)
            {
                final String[] e = parts.get(3).split("\\s+");
                if (e.length != 2 || !e[0].equals("expire"))
                {
                    throw RuleException.badValue("xbits", "expected 'expire seconds', got '" + parts.get(3) + "'");
                }
                expire = Values.number("xbits", e[1], 1, IntMatch.U32);
            }
            stateOps.add(new StateOp.Xbit(command, name, t, expire));
        }

        private Map<String, String> pairs(final String keyword, final String value, final Set<String> allowed)
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
                final Set<String> missing = new java.util.TreeSet<>(allowed);
                missing.removeAll(map.keySet());
                throw RuleException.badValue(keyword, "missing " + String.join(", ", missing));
            }
            return map;
        }

        private Threshold.Track track(final String keyword, final String text)
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

        private void threshold(final String value)
        {
            if (null != threshold)
            {
                throw RuleException.badValue("threshold", "threshold given twice");
            }
            final Map<String, String> map = pairs("threshold", value, Set.of("type", "track", "count", "seconds"));
            final Threshold.Type type = switch (map.get("type"))
            {
                case "limit" -> Threshold.Type.LIMIT;
                case "threshold" -> Threshold.Type.THRESHOLD;
                case "both" -> Threshold.Type.BOTH;
                case "backoff" -> throw RuleException.unsupported("threshold", "type backoff is not supported");
                default -> throw RuleException.badValue("threshold", "'" + map.get("type") + "' is not a type");
            };
            threshold = new Threshold(type, track("threshold", map.get("track")),
                Values.number("threshold", map.get("count"), 1, IntMatch.U32),
                Values.number("threshold", map.get("seconds"), 1, IntMatch.U32));
        }

        private void detectionFilter(final String value)
        {
            if (null != detectionFilter)
            {
                throw RuleException.badValue("detection_filter", "detection_filter given twice");
            }
            final Map<String, String> map = pairs("detection_filter", value, Set.of("track", "count", "seconds"));
            detectionFilter = new DetectionFilter(track("detection_filter", map.get("track")),
                Values.number("detection_filter", map.get("count"), 1, IntMatch.U32),
                Values.number("detection_filter", map.get("seconds"), 1, IntMatch.U32));
        }

        // ---------------------------------------------------------------- whole rule

        Rule build(final String text)
        {
            if (sid < 0)
            {
                throw RuleException.badValue("sid", "the rule has no sid");
            }
            int prio = priority;
            if (prio < 0)
            {
                final Classifications.Classification c = null == classtype || null == classifications
                    ? null : classifications.get(classtype);
                prio = null == c ? 3 : c.priority();
            }
            final List<BufferInspection> inspections = inspections();
            final AppProtocol app = appProtocol(inspections);
            checkDirections(inspections);
            checkHeaderKeywords();
            final RuleMeta meta = new RuleMeta(gid, sid, rev, msg, classtype, prio, references, metadata, target);
            return new Rule(header, meta, noalert, tags, app, null == flow ? FlowCondition.ANY : flow, conditions,
                inspections, stateOps, threshold, detectionFilter, variables, text, origin);
        }

        private List<BufferInspection> inspections()
        {
            final Map<String, List<Object>> groups = new LinkedHashMap<>();
            final Map<String, Buffer> buffers = new LinkedHashMap<>();
            final Map<Object, String> groupOf = new java.util.IdentityHashMap<>();
            for (final Item item : items)
            {
                final String key = item.buffer.name() + "#" + item.instance;
                buffers.put(key, item.buffer);
                groups.computeIfAbsent(key, k -> new ArrayList<>()).add(item.match);
                groupOf.put(item.match, key);
            }
            final List<BufferInspection> out = new ArrayList<>();
            for (final Map.Entry<String, List<Object>> group : groups.entrySet())
            {
                final Buffer buffer = buffers.get(group.getKey());
                final List<BufferMatch> matches = new ArrayList<>();
                long maxSize = Long.MAX_VALUE;
                for (final Object o : group.getValue())
                {
                    if (o instanceof BufferSize size)
                    {
                        maxSize = Math.min(maxSize, size.size().upperBound(Long.MAX_VALUE));
                    }
                }
                for (final Object o : group.getValue())
                {
                    final BufferMatch m = o instanceof ContentDraft d ? content(d, buffer, maxSize) : (BufferMatch)o;
                    checkVariables(m, group.getKey(), groupOf);
                    matches.add(m);
                }
                out.add(new BufferInspection(buffer, matches));
            }
            return out;
        }

        private ContentMatch content(final ContentDraft d, final Buffer buffer, final long maxSize)
        {
            final int length = d.pattern.length;
            if (null != d.depth && !d.depth.isVariable() && d.depth.constant() < length)
            {
                throw RuleException.badValue("depth",
                    "depth " + d.depth.constant() + " is shorter than the " + length + "-byte content");
            }
            if (null != d.within && !d.within.isVariable() && d.within.constant() < length)
            {
                throw RuleException.badValue("within",
                    "within " + d.within.constant() + " is shorter than the " + length + "-byte content");
            }
            if ((null != d.offset || null != d.depth) && (null != d.distance || null != d.within))
            {
                throw RuleException.conflict("content modifiers",
                    "offset/depth and distance/within on one content");
            }
            if (d.startsWith && (null != d.offset || null != d.depth || null != d.distance || null != d.within))
            {
                throw RuleException.conflict("content modifiers",
                    "startswith with offset, depth, distance or within on one content");
            }
            if (!d.negated && length > maxSize)
            {
                throw RuleException.conflict("bsize",
                    "a " + length + "-byte content cannot fit in a buffer of at most " + maxSize + " bytes");
            }
            if (buffer.lowerCase() && !d.nocase)
            {
                for (final byte b : d.pattern)
                {
                    if (b >= 'A' && b <= 'Z')
                    {
                        throw RuleException.conflict(buffer.ruleName(),
                            "upper-case content never matches the lower-case " + buffer.ruleName() + " buffer");
                    }
                }
            }
            return d.build();
        }

        private void checkVariables(final BufferMatch m, final String group, final Map<Object, String> groupOf)
        {
            final List<Operand> operands = new ArrayList<>();
            switch (m)
            {
                case ContentMatch c ->
                {
                    operands.add(c.offset());
                    operands.add(c.depth());
                    operands.add(c.distance());
                    operands.add(c.within());
                }
                case IsDataAt a -> operands.add(a.offset());
                case ByteTest t ->
                {
                    operands.add(t.value());
                    operands.add(t.offset());
                }
                case ByteJump j -> operands.add(j.offset());
                case PcreMatch _ ->
                {
                    // no operands
                }
                case ByteExtract _ ->
                {
                    // defines, does not use
                }
                case Base64Decode _ ->
                {
                    // no operands
                }
                case BufferSize _ ->
                {
                    // no operands
                }
                case DatasetMatch _ ->
                {
                    // no operands
                }
            }
            for (final Operand o : operands)
            {
                if (null != o && o.isVariable()
                    && !group.equals(groupOf.get(variableItems.get(o.slot()).match)))
                {
                    throw RuleException.conflict("byte_extract",
                        "variable '" + o.variable() + "' is used in another buffer than the one it was read from");
                }
            }
        }

        private AppProtocol appProtocol(final List<BufferInspection> inspections)
        {
            for (final BufferInspection inspection : inspections)
            {
                if (inspection.buffer().appProtocol() != AppProtocol.NONE)
                {
                    apps.add(inspection.buffer().appProtocol());
                }
            }
            final AppProtocol fromHeader = header.protocol().appProtocol();
            if (fromHeader != AppProtocol.NONE)
            {
                for (final AppProtocol app : apps)
                {
                    if (app != fromHeader)
                    {
                        throw RuleException.conflict("protocol",
                            app.name().toLowerCase(Locale.ROOT) + " keywords in a " + header.protocol().ruleName()
                                + " rule");
                    }
                }
                return fromHeader;
            }
            if (apps.size() > 1)
            {
                throw RuleException.conflict("protocol", "keywords of several application protocols: " + apps);
            }
            if (apps.isEmpty())
            {
                return AppProtocol.NONE;
            }
            final AppProtocol app = apps.iterator().next();
            final Protocol p = header.protocol();
            final boolean tcpApp = app == AppProtocol.HTTP || app == AppProtocol.TLS;
            if (p == Protocol.ICMP || (tcpApp && p == Protocol.UDP))
            {
                throw RuleException.conflict("protocol",
                    app.name().toLowerCase(Locale.ROOT) + " keywords in a " + p.ruleName() + " rule");
            }
            return app;
        }

        private void checkDirections(final List<BufferInspection> inspections)
        {
            boolean toServer = false;
            boolean toClient = false;
            for (final BufferInspection inspection : inspections)
            {
                toServer |= inspection.buffer().side() == Buffer.Side.TO_SERVER;
                toClient |= inspection.buffer().side() == Buffer.Side.TO_CLIENT;
            }
            if (toServer && toClient)
            {
                throw RuleException.conflict("direction", "request-only and response-only buffers in one rule");
            }
            final FlowCondition.Side side = null == flow ? FlowCondition.Side.ANY : flow.side();
            if ((side == FlowCondition.Side.TO_SERVER && toClient) || (side == FlowCondition.Side.TO_CLIENT && toServer))
            {
                throw RuleException.conflict("direction",
                    "flow direction " + side.name().toLowerCase(Locale.ROOT) + " with buffers of the other direction");
            }
        }

        private void checkHeaderKeywords()
        {
            final Protocol p = header.protocol();
            for (final Condition c : conditions)
            {
                final String keyword = switch (c)
                {
                    case HeaderInt h when h.field() == HeaderInt.Field.ICMP_TYPE
                        || h.field() == HeaderInt.Field.ICMP_CODE ->
                        p != Protocol.ICMP && p != Protocol.IP ? h.field().keyword() : null;
                    case HeaderInt h when h.field() == HeaderInt.Field.TCP_ACK || h.field() == HeaderInt.Field.TCP_SEQ
                        || h.field() == HeaderInt.Field.TCP_WINDOW ->
                        p == Protocol.UDP || p == Protocol.ICMP ? h.field().keyword() : null;
                    case TcpFlags _ -> p == Protocol.UDP || p == Protocol.ICMP ? "flags" : null;
                    case StreamSize _ -> p == Protocol.UDP || p == Protocol.ICMP ? "stream_size" : null;
                    default -> null;
                };
                if (null != keyword)
                {
                    throw RuleException.conflict("protocol", keyword + " in a " + p.ruleName() + " rule never matches");
                }
            }
        }
    }
}
