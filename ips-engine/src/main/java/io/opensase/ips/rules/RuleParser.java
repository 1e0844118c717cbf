package io.opensase.ips.rules;

import io.opensase.ips.rules.pcre.PcreException;
import io.opensase.ips.rules.pcre.PcreTranslator;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.IdentityHashMap;
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
    private final Path datasetDirectory;

    /**
     * @param variables       what {@code $NAME}s in headers resolve to.
     * @param classifications the classes {@code classtype} may name, or null to accept any class (priority
     *                        then defaults to 3).
     */
    public RuleParser(final Variables variables, final Classifications classifications)
    {
        this(variables, classifications, null);
    }

    /**
     * @param datasetDirectory where a relative {@code dataset} {@code load} file is looked for when it is not
     *                         next to the rule file (Suricata's default rule path), or null: then only next to
     *                         the rule file, or in the working directory for rules given as text.
     */
    public RuleParser(final Variables variables, final Classifications classifications, final Path datasetDirectory)
    {
        this.headers = new HeaderParser(variables);
        this.classifications = classifications;
        this.datasetDirectory = datasetDirectory;
    }

    /**
     * @param text   one rule, continuation lines already joined.
     * @param origin where it was read; its folder resolves {@code dataset} {@code load} files first.
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
            if (OTHER_ACTIONS.contains(words.get(0).toLowerCase(Locale.ROOT)))
            {
                throw new RuleException(SkipReason.Category.UNSUPPORTED_ACTION, words.get(0),
                    "action '" + words.get(0) + "' is not in the subset");
            }
            // Not quoted: a line that does not start with an action may be from a file that holds no rules at all
            // (found by a tester: a configuration sent over the control API can name any file in its folder).
            throw new RuleException(SkipReason.Category.BAD_HEADER, "action",
                "the first word is not an action (alert, drop, reject, pass)");
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
     * Splits {@code name[:value];} options. As in Suricata, a value ends at the first {@code ;} not directly
     * preceded by a backslash; quotes do not protect it. Returns {name, value or null}.
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
            while (i < n && (body.charAt(i) != ';' || body.charAt(i - 1) == '\\'))
            {
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
        final Set<String> packetKeywords = new HashSet<>();
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
                case MSG -> () -> msg = Values.text(Values.unescape(Values.unquote(name, required(name, value))));
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
                case TAG -> () -> tags.add(KeywordValues.tag(required(name, value)));
                case CONTENT -> () -> content(required(name, value));
                case PCRE -> () -> pcre(required(name, value));
                case ISDATAAT -> () -> isDataAt(required(name, value));
                case BSIZE -> () -> bsize(required(name, value));
                case BYTE_TEST -> () -> add(KeywordValues.byteTest(required(name, value), this::operand));
                case BYTE_JUMP -> () -> add(KeywordValues.byteJump(required(name, value), this::operand));
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
                case FLAGS, TCP_FLAGS -> () -> condition("flags", KeywordValues.tcpFlags(required(name, value)));
                case PREFILTER -> () -> noValue(name, value);
                case IP_PROTO -> () -> conditions.add(KeywordValues.ipProto(required(name, value)));
                case VLAN_ID -> () -> conditions.add(KeywordValues.vlanId(required(name, value)));
                case FLOW -> () -> flow(required(name, value));
                case STREAM_SIZE -> () -> conditions.add(KeywordValues.streamSize(required(name, value)));
                case APP_LAYER_PROTOCOL -> () -> conditions.add(KeywordValues.appLayerProtocol(required(name, value)));
                case URILEN -> () -> urilen(required(name, value));
                case SSL_STATE -> () -> tls(KeywordValues.sslState(required(name, value)));
                case SSL_VERSION -> () -> tls(KeywordValues.sslVersion(required(name, value)));
                case TLS_VERSION -> () -> tls(KeywordValues.tlsVersion(required(name, value)));
                case FLOWBITS -> () -> flowbits(required(name, value));
                case XBITS -> () -> stateOps.add(KeywordValues.xbits(required(name, value)));
                case THRESHOLD -> () -> threshold(required(name, value));
                case DETECTION_FILTER -> () -> detectionFilter(required(name, value));
                case HTTP_URI, HTTP_URI_RAW, HTTP_HOST, HTTP_HOST_RAW, HTTP_METHOD, HTTP_HEADER, HTTP_HEADER_NAMES,
                     HTTP_HEADER_RAW, HTTP_REQUEST_HEADER, HTTP_RESPONSE_HEADER, HTTP_RESPONSE_BODY,
                     HTTP_USER_AGENT, HTTP_COOKIE, HTTP_CONTENT_TYPE, HTTP_CONTENT_LEN, HTTP_REFERER, HTTP_ACCEPT,
                     HTTP_ACCEPT_ENC, HTTP_ACCEPT_LANG, HTTP_REQUEST_LINE, HTTP_REQUEST_BODY, HTTP_STAT_CODE,
                     HTTP_STAT_MSG, HTTP_RESPONSE_LINE, HTTP_SERVER, HTTP_LOCATION, FILE_DATA, TLS_SNI,
                     TLS_CERT_SUBJECT, TLS_CERT_ISSUER, TLS_CERT_SERIAL, TLS_CERT_FINGERPRINT, TLS_ALPN, TLS_RANDOM,
                     TLS_SUBJECTALTNAME, TLS_RANDOM_TIME, TLS_RANDOM_BYTES,
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
                Values.text(Values.unquote("reference", value.substring(comma + 1)))));
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
                t.hyperscan(), t.hyperscanNote());
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
            add(new BufferSize(KeywordValues.intMatch("bsize", value, IntMatch.U63)));
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
            final IntMatch length = KeywordValues.intMatch("urilen", parts.get(0), IntMatch.U16);
            items.add(new Item(buffer, 0, new BufferSize(length)));
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
                        // Suricata's default base for byte_extract; a base given before or after wins.
                        base = base == NumberFormat.Base.BINARY ? NumberFormat.Base.DEC : base;
                    }
                    case "hex", "dec", "oct" -> base = KeywordValues.base("byte_extract", part);
                    case "dce" ->
                        throw RuleException.unsupported("byte_extract", "dce byte order needs DCE/RPC parsing");
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
            KeywordValues.checkBytes("byte_extract", bytes, base);
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
                        bytes = Values.number("base64_decode", part.substring(5), 1, 65535);
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
            DatasetMatch.Type type = null;
            Path load = null;
            String state = null;
            long memcap = 0;
            long hashsize = 0;
            for (final String part : parts.subList(2, parts.size()))
            {
                final int space = part.indexOf(' ');
                final String key = space < 0 ? part : part.substring(0, space);
                final String arg = space < 0 ? "" : part.substring(space + 1).strip();
                switch (key)
                {
                    case "type" ->
                    {
                        type = DatasetMatch.Type.byName(arg);
                        if (null == type)
                        {
                            throw RuleException.badValue("dataset",
                                "type '" + arg + "' is not string, md5, sha256, ipv4, ip or ipv6");
                        }
                    }
                    case "load" ->
                    {
                        if (!staysInside(arg))
                        {
                            throw RuleException.badValue("dataset",
                                "load needs a file name inside the rule file's folder or the dataset directory, got '"
                                    + arg + "'");
                        }
                        load = loadPath(arg);
                    }
                    case "state" ->
                    {
                        if (!staysInside(arg))
                        {
                            throw RuleException.badValue("dataset",
                                "state needs a file name inside the data directory, got '" + arg + "'");
                        }
                        state = arg;
                    }
                    case "memcap" -> memcap = IntMatch.number(arg, Long.MAX_VALUE, part);
                    case "hashsize" -> hashsize = Values.number("dataset", arg, 1, IntMatch.U32);
                    case "save" -> throw RuleException.unsupported("dataset",
                        "save without load; use state, which loads and saves the same file");
                    default -> throw RuleException.unsupported("dataset", "option '" + key + "' is not supported");
                }
            }
            if (null == type)
            {
                throw RuleException.badValue("dataset", "type is required");
            }
            if (null != load && null != state)
            {
                throw RuleException.conflict("dataset", "state cannot be mixed with load");
            }
            add(new DatasetMatch(command, name, type, load, state, memcap, hashsize));
        }

        /**
         * Whether a set file name given by a rule stays inside the folder it is resolved in: not empty, not
         * absolute, no {@code ..} (as Suricata refuses by default), so that a rule cannot read or write any file
         * the engine can.
         */
        private static boolean staysInside(final String name)
        {
            if (name.isEmpty())
            {
                return false;
            }
            final Path path;
            try
            {
                path = Path.of(name);
            }
            catch (final InvalidPathException ex)
            {
                return false;
            }
            for (final Path part : path)
            {
                if ("..".equals(part.toString()))
                {
                    return false;
                }
            }
            return !path.isAbsolute();
        }

        /**
         * A {@code load} file as Suricata finds it: next to the rule file when it is there, else in the dataset
         * directory given to the parser (Suricata's default rule path), else next to the rule file (where the
         * error will name it).
         */
        private Path loadPath(final String name)
        {
            final Path path = Path.of(name);
            final Path ruleFolder = null == origin.file() ? null : origin.file().toAbsolutePath().getParent();
            if (null != ruleFolder && Files.exists(ruleFolder.resolve(path)))
            {
                return ruleFolder.resolve(path).normalize();
            }
            if (null != datasetDirectory)
            {
                return datasetDirectory.resolve(path).toAbsolutePath().normalize();
            }
            return (null == ruleFolder ? path.toAbsolutePath() : ruleFolder.resolve(path)).normalize();
        }

        // ---- packet, flow, app-layer keywords

        private void headerInt(final HeaderInt.Field field, final String value)
        {
            final String keyword = field.keyword();
            final IntMatch match = KeywordValues.intMatch(keyword, required(keyword, value), field.max());
            condition(keyword, new HeaderInt(field, match));
        }

        // ---- state and rate

        private void condition(final String keyword, final Condition condition)
        {
            if (!packetKeywords.add(keyword))
            {
                throw RuleException.badValue(keyword, keyword + " given twice");
            }
            conditions.add(condition);
        }

        private void tls(final Condition condition)
        {
            apps.add(AppProtocol.TLS);
            conditions.add(condition);
        }

        private void flow(final String value)
        {
            if (null != flow)
            {
                throw RuleException.badValue("flow", "flow given twice");
            }
            flow = KeywordValues.flow(value);
        }

        private void threshold(final String value)
        {
            if (null != threshold)
            {
                throw RuleException.badValue("threshold", "threshold given twice");
            }
            threshold = KeywordValues.threshold(value);
        }

        private void detectionFilter(final String value)
        {
            if (null != detectionFilter)
            {
                throw RuleException.badValue("detection_filter", "detection_filter given twice");
            }
            detectionFilter = KeywordValues.detectionFilter(value);
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
            final StateOp.Command command = KeywordValues.command("flowbits", parts.get(0));
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

        // ---------------------------------------------------------------- whole rule

        Rule build(final String text)
        {
            if (sid < 0)
            {
                throw RuleException.badValue("sid", "the rule has no sid");
            }
            if (null != threshold && null != detectionFilter)
            {
                throw RuleException.conflict("threshold", "threshold and detection_filter in one rule");
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
            final Map<Object, String> groupOf = new IdentityHashMap<>();
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
                final int decode = indexOfBase64Decode(matches);
                if (decode >= 0 && decode != matches.size() - 1)
                {
                    throw RuleException.conflict("base64_decode", "keywords after base64_decode in "
                        + buffer.ruleName() + " are never inspected: only base64_data is, on the decoded data");
                }
                out.add(new BufferInspection(buffer, matches));
            }
            if (base64Decodes > 0 && !buffers.containsValue(Buffer.BASE64_DATA))
            {
                throw RuleException.conflict("base64_decode",
                    "base64_decode without base64_data keywords never matches");
            }
            return out;
        }

        private static int indexOfBase64Decode(final List<BufferMatch> matches)
        {
            for (int i = 0; i < matches.size(); i++)
            {
                if (matches.get(i) instanceof Base64Decode)
                {
                    return i;
                }
            }
            return -1;
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
            if ((side == FlowCondition.Side.TO_SERVER && toClient)
                || (side == FlowCondition.Side.TO_CLIENT && toServer))
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
