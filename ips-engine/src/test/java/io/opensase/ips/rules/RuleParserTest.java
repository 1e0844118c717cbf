package io.opensase.ips.rules;

import io.opensase.ips.rules.pcre.HyperscanSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One parse test per keyword of the subset, each with model values worked out by hand from the rule text
 * and Suricata's documented semantics.
 */
class RuleParserTest
{
    private final RuleParser parser = new RuleParser(Variables.suricataDefaults(), null);

    private Rule rule(final String text)
    {
        return parser.parse(text, RuleSource.TEXT);
    }

    /** A TCP rule with the given options and sid 1. */
    private Rule options(final String options)
    {
        return rule("alert tcp any any -> any any (" + options + " sid:1;)");
    }

    private static BufferMatch single(final Rule rule, final Buffer buffer)
    {
        final List<BufferInspection> inspections = rule.inspections(buffer);
        assertEquals(1, inspections.size(), "inspections of " + buffer);
        assertEquals(1, inspections.get(0).matches().size(), "matches in " + buffer);
        return inspections.get(0).matches().get(0);
    }

    private static byte[] bytes(final int... values)
    {
        final byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++)
        {
            b[i] = (byte)values[i];
        }
        return b;
    }

    // ---------------------------------------------------------------- header

    @Test
    void shouldParseEachActionAndProtocol()
    {
        assertEquals(Action.ALERT, rule("alert ip any any -> any any (sid:1;)").header().action());
        assertEquals(Action.DROP, rule("drop tcp any any -> any any (sid:1;)").header().action());
        assertEquals(Action.REJECT, rule("reject udp any any -> any any (sid:1;)").header().action());
        assertEquals(Action.PASS, rule("pass icmp any any -> any any (sid:1;)").header().action());
        assertEquals(Protocol.HTTP, rule("alert http any any -> any any (sid:1;)").header().protocol());
        assertEquals(Protocol.TLS, rule("alert tls any any -> any any (sid:1;)").header().protocol());
        assertEquals(Protocol.DNS, rule("alert dns any any -> any any (sid:1;)").header().protocol());
        assertEquals(Protocol.TCP_STREAM, rule("alert tcp-stream any any -> any any (sid:1;)").header().protocol());
        assertEquals(Protocol.TCP_PKT, rule("alert tcp-pkt any any -> any any (sid:1;)").header().protocol());
        assertEquals(AppProtocol.HTTP, rule("alert http any any -> any any (sid:1;)").appProtocol());
        assertEquals(AppProtocol.NONE, rule("alert ip any any -> any any (sid:1;)").appProtocol());
    }

    @Test
    void shouldResolveAddressesWithCidrNetmaskRangeAndIpv6()
    {
        final Rule r = rule("alert ip [192.168.1.7/24,10.0.0.1-10.0.0.3,172.16.0.0/255.255.0.0,2001:db8::/32] any"
            + " -> 1.2.3.4 any (sid:1;)");
        final AddressSet src = r.header().sourceAddresses();
        assertArrayEquals(new long[] {0x0A000001L, 0x0A000003L, 0xAC100000L, 0xAC10FFFFL, 0xC0A80100L, 0xC0A801FFL},
            src.ipv4Ranges());
        assertArrayEquals(new long[] {0x20010DB800000000L, 0L, 0x20010DB8FFFFFFFFL, -1L}, src.ipv6Ranges());
        assertArrayEquals(new long[] {0x01020304L, 0x01020304L}, r.header().destinationAddresses().ipv4Ranges());
        assertEquals(0, r.header().destinationAddresses().ipv6Ranges().length);
        assertTrue(src.containsIpv4(0xC0A801FE));
        assertFalse(src.containsIpv4(0xC0A80200));
        assertTrue(src.containsIpv6(0x20010DB812345678L, 99L));
        assertFalse(src.containsIpv6(0x20010DB900000000L, 0L));
    }

    @Test
    void shouldNegateHomeNetWithinIpv4OnlyAsSuricataDoes()
    {
        final AddressSet external = rule("alert ip $EXTERNAL_NET any -> any any (sid:1;)").header().sourceAddresses();
        assertEquals("[0.0.0.0-9.255.255.255,11.0.0.0-172.15.255.255,172.32.0.0-192.167.255.255,"
            + "192.169.0.0-255.255.255.255]", external.toString());
        assertEquals(0, external.ipv6Ranges().length);
        assertTrue(rule("alert ip any any -> any any (sid:1;)").header().sourceAddresses().isAny());
    }

    @Test
    void shouldSubtractNegatedEntriesInsideGroups()
    {
        final Rule r = rule("alert ip [10.0.0.0/8,![10.1.0.0/16,10.2.0.0/16]] any -> ![$HOME_NET,$SMTP_SERVERS] any"
            + " (sid:1;)");
        assertEquals("[10.0.0.0-10.0.255.255,10.3.0.0-10.255.255.255]", r.header().sourceAddresses().toString());
        assertEquals(rule("alert ip $EXTERNAL_NET any -> any any (sid:1;)").header().sourceAddresses(),
            r.header().destinationAddresses());
    }

    @Test
    void shouldResolvePortListsRangesAndNegations()
    {
        final Rule r = rule("alert tcp any [!$HTTP_PORTS,!445,!22] -> any [1024:5000,49152:,$ORACLE_PORTS] (sid:1;)");
        assertArrayEquals(new int[] {0, 21, 23, 79, 81, 444, 446, 65535}, r.header().sourcePorts().ranges());
        assertArrayEquals(new int[] {1024, 5000, 49152, 65535}, r.header().destinationPorts().ranges());
        assertArrayEquals(new int[] {0, 20, 24, 65535},
            rule("alert tcp any !21:23 -> any :1023 (sid:1;)").header().sourcePorts().ranges());
        assertArrayEquals(new int[] {0, 1023},
            rule("alert tcp any !21:23 -> any :1023 (sid:1;)").header().destinationPorts().ranges());
        assertEquals(Direction.BOTH, rule("alert tcp any any <> any 80 (sid:1;)").header().direction());
    }

    // ---------------------------------------------------------------- meta

    @Test
    void shouldParseMetaKeywords()
    {
        final Rule r = rule("alert tcp any any -> any any (msg:\"ET \\\"quoted\\\" a\\;b\"; sid:2001; rev:7; gid:3;"
            + " classtype:trojan-activity; priority:2; reference:url,/docs/a; reference:cve,2021-44228;"
            + " metadata:created_at 2020_01_01, tag Exploit; metadata:former_category POLICY; target:dest_ip;)");
        final RuleMeta m = r.meta();
        assertEquals("ET \"quoted\" a;b", m.msg());
        assertEquals(2001, m.sid());
        assertEquals(7, m.rev());
        assertEquals(3, m.gid());
        assertEquals("trojan-activity", m.classtype());
        assertEquals(2, m.priority());
        assertEquals(List.of(new RuleMeta.Reference("url", "/docs/a"), new RuleMeta.Reference("cve", "2021-44228")),
            m.references());
        assertEquals(List.of(new RuleMeta.Metadata("created_at", "2020_01_01"), new RuleMeta.Metadata("tag", "Exploit"),
            new RuleMeta.Metadata("former_category", "POLICY")), m.metadata());
        assertEquals(RuleMeta.Target.DEST_IP, m.target());
    }

    @Test
    void shouldDecodeUtf8MessagesAndDefaultMeta()
    {
        final Rule r = rule(new String("alert tcp any any -> any any (msg:\"caf\u00e9\"; sid:5;)"
            .getBytes(java.nio.charset.StandardCharsets.UTF_8), java.nio.charset.StandardCharsets.ISO_8859_1));
        assertEquals("caf\u00e9", r.meta().msg());
        assertEquals(1, r.meta().gid());
        assertEquals(0, r.meta().rev());
        assertEquals(3, r.meta().priority());
        assertNull(r.meta().target());
    }

    /**
     * Found by a tester: one byte that is not UTF-8 ({@code \xFF\xFE}) made the whole message read as ISO-8859-1,
     * so {@code café} came out as {@code cafÃ©}. Each valid sequence is decoded; each stray byte stays itself.
     */
    @Test
    void shouldDecodeTheUtf8AroundBytesThatAreNot()
    {
        final byte[] text = {'c', 't', 'l', 0x01, ' ', (byte)0xFF, (byte)0xFE, ' ', 'c', 'a', 'f', (byte)0xC3,
            (byte)0xA9, ' ', (byte)0xE2, (byte)0x82, (byte)0xAC, ' ', (byte)0xF0, (byte)0x9F, (byte)0x98, (byte)0x80,
            ' ', (byte)0xC3};
        final Rule r = rule("alert tcp any any -> any any (msg:\"" + new String(text,
            java.nio.charset.StandardCharsets.ISO_8859_1) + "\"; sid:6;)");

        // U+00E9 is C3 A9, U+20AC is E2 82 AC, U+1F600 is F0 9F 98 80 (surrogates D83D DE00); C3 alone is cut short.
        assertEquals("ctl\u0001 \u00ff\u00fe caf\u00e9 \u20ac \ud83d\ude00 \u00c3", r.meta().msg());
    }

    @Test
    void shouldTakePriorityFromTheClassUnlessGiven()
    {
        final RuleParser withClasses = new RuleParser(Variables.suricataDefaults(), Classifications.of(List.of(
            new Classifications.Classification("trojan-activity", "A Network Trojan was detected", 1))));
        assertEquals(1, withClasses.parse("alert ip any any -> any any (classtype:trojan-activity; sid:1;)",
            RuleSource.TEXT).meta().priority());
        assertEquals(4, withClasses.parse("alert ip any any -> any any (classtype:trojan-activity; priority:4; sid:1;)",
            RuleSource.TEXT).meta().priority());
    }

    @Test
    void shouldParseNoalertAndTag()
    {
        final Rule r = options("noalert; tag:session; tag:host,100,packets,src; tag:host,3600,seconds;");
        assertTrue(r.noalert());
        assertEquals(List.of(new Tag(Tag.Scope.SESSION, 256, Tag.Metric.PACKETS, Tag.HostSide.NONE),
            new Tag(Tag.Scope.HOST, 100, Tag.Metric.PACKETS, Tag.HostSide.SRC),
            new Tag(Tag.Scope.HOST, 3600, Tag.Metric.SECONDS, Tag.HostSide.DST)), r.tags());
        assertFalse(options("").noalert());
        assertTrue(options("flowbits:set,x; flowbits:noalert;").noalert());
    }

    // ---------------------------------------------------------------- content

    @Test
    void shouldDecodeContentTextHexAndEscapes()
    {
        final ContentMatch c = (ContentMatch)single(options("content:\"A|42 43|D\\;\\\"\\\\\";"), Buffer.PAYLOAD);
        assertArrayEquals(bytes(0x41, 0x42, 0x43, 0x44, 0x3B, 0x22, 0x5C), c.pattern());
        assertFalse(c.negated());
        assertFalse(c.nocase());
        assertNull(c.offset());
        assertNull(c.fastPattern());
        assertArrayEquals(bytes(0x00, 0xFF, 0x7F), ((ContentMatch)single(options("content:!\"|00ff 7F|\";"),
            Buffer.PAYLOAD)).pattern());
        assertTrue(((ContentMatch)single(options("content:!\"x\";"), Buffer.PAYLOAD)).negated());
    }

    @Test
    void shouldApplyContentModifiersToTheLastContent()
    {
        final Rule r = options("content:\"abc\"; nocase; offset:2; depth:10; content:\"de\"; distance:-1; within:5;"
            + " fast_pattern; content:\"GET\"; startswith; content:\".exe\"; endswith; rawbytes;");
        final List<BufferMatch> m = r.inspections(Buffer.PAYLOAD).get(0).matches();
        assertEquals(new ContentMatch("abc".getBytes(), false, true, Operand.of(2), Operand.of(10), null, null, false,
            false, null), m.get(0));
        assertEquals(new ContentMatch("de".getBytes(), false, false, null, null, Operand.of(-1), Operand.of(5), false,
            false, ContentMatch.FastPattern.WHOLE), m.get(1));
        assertTrue(m.get(1).relative());
        assertFalse(m.get(0).relative());
        assertEquals(new ContentMatch("GET".getBytes(), false, false, null, null, null, null, true, false, null),
            m.get(2));
        assertEquals(new ContentMatch(".exe".getBytes(), false, false, null, null, null, null, false, true, null),
            m.get(3));
    }

    @Test
    void shouldParseFastPatternSlices()
    {
        assertEquals(new ContentMatch.FastPattern(1, 3),
            ((ContentMatch)single(options("content:\"abcdef\"; fast_pattern:1,3;"), Buffer.PAYLOAD)).fastPattern());
        assertEquals(ContentMatch.FastPattern.WHOLE,
            ((ContentMatch)single(options("content:\"abcdef\"; fast_pattern:only;"), Buffer.PAYLOAD)).fastPattern());
    }

    // ---------------------------------------------------------------- other payload keywords

    @Test
    void shouldParseIsdataat()
    {
        final Rule r = options("content:\"a\"; isdataat:!1,relative; isdataat:100,rawbytes;");
        final List<BufferMatch> m = r.inspections(Buffer.PAYLOAD).get(0).matches();
        assertEquals(new IsDataAt(Operand.of(1), true, true), m.get(1));
        assertEquals(new IsDataAt(Operand.of(100), false, false), m.get(2));
    }

    @Test
    void shouldParseBsizeInTheStickyBuffer()
    {
        final Rule r = rule("alert http any any -> any any (http.uri; content:\"/a\"; bsize:>=2; http.method;"
            + " bsize:3<>8; sid:1;)");
        assertEquals(new BufferSize(new IntMatch(IntMatch.Mode.GE, 2, 0)),
            r.inspections(Buffer.HTTP_URI).get(0).matches().get(1));
        assertEquals(new BufferSize(new IntMatch(IntMatch.Mode.RANGE, 3, 8)), single(r, Buffer.HTTP_METHOD));
    }

    @Test
    void shouldParseDsizeAndUrilen()
    {
        assertEquals(List.of(new HeaderInt(HeaderInt.Field.PAYLOAD_SIZE, new IntMatch(IntMatch.Mode.GT, 150, 0))),
            options("dsize:>150;").conditions());
        assertEquals(List.of(new HeaderInt(HeaderInt.Field.PAYLOAD_SIZE, new IntMatch(IntMatch.Mode.RANGE, 300, 400))),
            options("dsize:300<>400;").conditions());
        final Rule r = rule("alert http any any -> any any (urilen: > 80; sid:1;)");
        assertEquals(new BufferSize(new IntMatch(IntMatch.Mode.GT, 80, 0)), single(r, Buffer.HTTP_URI));
        assertEquals(new BufferSize(IntMatch.equal(13)),
            single(rule("alert http any any -> any any (urilen:13,raw; sid:1;)"), Buffer.HTTP_URI_RAW));
        assertEquals(AppProtocol.HTTP, rule("alert tcp any any -> any any (urilen:1; sid:1;)").appProtocol());
    }

    @Test
    void shouldParseByteTest()
    {
        final Rule r = options("content:\"x\"; byte_test:2,!&,0x0f,-3,relative,little,bitmask 0xff0;"
            + " byte_test:4,>=,1337,1,string,dec; byte_test:1,!=,5,0; byte_test:0,>,450,0,string,dec;");
        final List<BufferMatch> m = r.inspections(Buffer.PAYLOAD).get(0).matches();
        assertEquals(new ByteTest(2, ByteTest.Operator.AND, true, Operand.of(15), Operand.of(-3), true,
            new NumberFormat(false, NumberFormat.Base.BINARY), 0xFF0), m.get(1));
        assertEquals(new ByteTest(4, ByteTest.Operator.GE, false, Operand.of(1337), Operand.of(1), false,
            new NumberFormat(true, NumberFormat.Base.DEC), 0), m.get(2));
        assertEquals(new ByteTest(1, ByteTest.Operator.EQ, true, Operand.of(5), Operand.of(0), false,
            NumberFormat.BIG_ENDIAN, 0), m.get(3));
        assertEquals(new ByteTest(0, ByteTest.Operator.GT, false, Operand.of(450), Operand.of(0), false,
            new NumberFormat(true, NumberFormat.Base.DEC), 0), m.get(4));
    }

    @Test
    void shouldParseByteJump()
    {
        final Rule r = options("content:\"x\"; byte_jump:4,58,relative,little,multiplier 2,align,post_offset -4;"
            + " byte_jump:0,0,from_end,post_offset -8; byte_jump:3,1,string,hex,from_beginning;");
        final List<BufferMatch> m = r.inspections(Buffer.PAYLOAD).get(0).matches();
        assertEquals(new ByteJump(4, Operand.of(58), true, 2, new NumberFormat(false, NumberFormat.Base.BINARY), true,
            ByteJump.From.CURRENT, -4, 0), m.get(1));
        assertEquals(new ByteJump(0, Operand.of(0), false, 1, NumberFormat.BIG_ENDIAN, false, ByteJump.From.END, -8, 0),
            m.get(2));
        assertEquals(new ByteJump(3, Operand.of(1), false, 1, new NumberFormat(true, NumberFormat.Base.HEX), false,
            ByteJump.From.BEGINNING, 0, 0), m.get(3));
    }

    @Test
    void shouldParseByteExtractAndItsVariables()
    {
        final Rule r = options("content:\"|16 03|\"; byte_extract:2,3,record_len; byte_extract:1,0,len,relative,"
            + "multiplier 4,string,dec,align 4; byte_test:2,>,record_len,6; content:\"z\"; distance:0; within:len;");
        assertEquals(List.of("record_len", "len"), r.variables());
        final List<BufferMatch> m = r.inspections(Buffer.PAYLOAD).get(0).matches();
        assertEquals(new ByteExtract(2, 3, "record_len", 0, false, 1, NumberFormat.BIG_ENDIAN, 0), m.get(1));
        assertEquals(new ByteExtract(1, 0, "len", 1, true, 4, new NumberFormat(true, NumberFormat.Base.DEC), 4),
            m.get(2));
        assertEquals(new Operand(0, "record_len", 0), ((ByteTest)m.get(3)).value());
        assertEquals(new Operand(0, "len", 1), ((ContentMatch)m.get(4)).within());
    }

    @Test
    void shouldParseBase64DecodeAndData()
    {
        final Rule r = rule("alert http any any -> any any (http.uri; content:\"q=\"; base64_decode:bytes 300,"
            + " offset 2, relative; base64_data; content:\"cmd\"; sid:1;)");
        assertEquals(new Base64Decode(300, 2, true), r.inspections(Buffer.HTTP_URI).get(0).matches().get(1));
        assertEquals("cmd", ((ContentMatch)single(r, Buffer.BASE64_DATA)).patternText());
        assertEquals(new Base64Decode(0, 0, false), options("base64_decode; base64_data; content:\"a\";")
            .inspections(Buffer.PAYLOAD).get(0).matches().get(0));
    }

    @Test
    void shouldTranslatePcreWithModifiers()
    {
        final Rule r = rule("alert http any any -> any any (content:\"x\"; pcre:\"/^a[[:digit:]]+\\x3b/Rsi\";"
            + " pcre:!\"/(b)\\1/U\"; sid:1;)");
        final PcreMatch relative = (PcreMatch)r.inspections(Buffer.PAYLOAD).get(0).matches().get(1);
        assertEquals("^a[[:digit:]]+\\x3b", relative.source());
        assertEquals("Rsi", relative.modifiers());
        assertTrue(relative.relative());
        assertFalse(relative.negated());
        assertEquals("^a[\\p{Digit}]+\\;", relative.javaRegex());
        assertEquals(Pattern.UNIX_LINES | Pattern.CASE_INSENSITIVE | Pattern.DOTALL, relative.javaFlags());
        assertEquals(HyperscanSupport.EXACT, relative.hyperscan());
        final PcreMatch uri = (PcreMatch)single(r, Buffer.HTTP_URI);
        assertTrue(uri.negated());
        assertEquals("(b)(?:\\1)", uri.javaRegex());
        assertEquals(HyperscanSupport.PREFILTER, uri.hyperscan());
        assertEquals("back-references", uri.hyperscanNote());
        assertTrue(uri.compile().matcher("abb").find());
    }

    @Test
    void shouldPlacePcreBufferModifiers()
    {
        assertEquals(Buffer.HTTP_HEADER, rule("alert http any any -> any any (pcre:\"/a/H\"; sid:1;)")
            .inspections().get(0).buffer());
        assertEquals(Buffer.HTTP_USER_AGENT, rule("alert http any any -> any any (http.user_agent; pcre:\"/a/V\";"
            + " sid:1;)").inspections().get(0).buffer());
    }

    @Test
    void shouldParseDataset()
    {
        final Rule r = parser.parse("alert dns any any -> any any (dns.query; dataset:isset,bad-dns, type string,"
            + " load bad.lst, memcap 10mb, hashsize 1024; sid:1;)", new RuleSource(Path.of("/rules/x/my.rules"), 3));
        assertEquals(new DatasetMatch(DatasetMatch.Command.ISSET, "bad-dns", DatasetMatch.Type.STRING,
            Path.of("/rules/x/bad.lst"), null, 10485760, 1024), single(r, Buffer.DNS_QUERY));
        assertEquals(new DatasetMatch(DatasetMatch.Command.SET, "dns-seen", DatasetMatch.Type.STRING, null, null, 0, 0),
            single(rule("alert dns any any -> any any (dns.query; dataset:set,dns-seen, type string; sid:1;)"),
                Buffer.DNS_QUERY));
    }

    // ---------------------------------------------------------------- buffers

    /** Every sticky buffer name, with the buffer and protocol it means, written out by hand. */
    @ParameterizedTest
    @CsvSource({
        "http.uri, HTTP_URI, HTTP", "http.uri.raw, HTTP_URI_RAW, HTTP", "http.host, HTTP_HOST, HTTP",
        "http.host.raw, HTTP_HOST_RAW, HTTP", "http.method, HTTP_METHOD, HTTP", "http.header, HTTP_HEADER, HTTP",
        "http.header_names, HTTP_HEADER_NAMES, HTTP", "http.user_agent, HTTP_USER_AGENT, HTTP",
        "http.cookie, HTTP_COOKIE, HTTP", "http.content_type, HTTP_CONTENT_TYPE, HTTP",
        "http.content_len, HTTP_CONTENT_LEN, HTTP", "http.referer, HTTP_REFERER, HTTP",
        "http.accept, HTTP_ACCEPT, HTTP", "http.accept_enc, HTTP_ACCEPT_ENC, HTTP",
        "http.accept_lang, HTTP_ACCEPT_LANG, HTTP", "http.request_line, HTTP_REQUEST_LINE, HTTP",
        "http.request_body, HTTP_REQUEST_BODY, HTTP", "http.stat_code, HTTP_STAT_CODE, HTTP",
        "http.stat_msg, HTTP_STAT_MSG, HTTP", "http.response_line, HTTP_RESPONSE_LINE, HTTP",
        "http.server, HTTP_SERVER, HTTP", "http.location, HTTP_LOCATION, HTTP", "file.data, FILE_DATA, HTTP",
        "file_data, FILE_DATA, HTTP", "http_request_line, HTTP_REQUEST_LINE, HTTP",
        "http_response_line, HTTP_RESPONSE_LINE, HTTP", "http_accept, HTTP_ACCEPT, HTTP",
        "http_accept_enc, HTTP_ACCEPT_ENC, HTTP", "http_accept_lang, HTTP_ACCEPT_LANG, HTTP",
        "http_referer, HTTP_REFERER, HTTP", "http_content_type, HTTP_CONTENT_TYPE, HTTP",
        "http_content_len, HTTP_CONTENT_LEN, HTTP", "http_header_names, HTTP_HEADER_NAMES, HTTP",
        "tls.sni, TLS_SNI, TLS", "tls_sni, TLS_SNI, TLS", "tls.cert_subject, TLS_CERT_SUBJECT, TLS",
        "tls_cert_subject, TLS_CERT_SUBJECT, TLS", "tls.cert_issuer, TLS_CERT_ISSUER, TLS",
        "tls_cert_issuer, TLS_CERT_ISSUER, TLS", "tls.cert_serial, TLS_CERT_SERIAL, TLS",
        "tls_cert_serial, TLS_CERT_SERIAL, TLS", "tls.cert_fingerprint, TLS_CERT_FINGERPRINT, TLS",
        "tls_cert_fingerprint, TLS_CERT_FINGERPRINT, TLS", "tls.alpn, TLS_ALPN, TLS", "tls.random, TLS_RANDOM, TLS",
        "ja3.hash, JA3_HASH, TLS", "ja3_hash, JA3_HASH, TLS", "ja3s.hash, JA3S_HASH, TLS", "ja3s_hash, JA3S_HASH, TLS",
        "dns.query, DNS_QUERY, DNS", "dns_query, DNS_QUERY, DNS", "ipv6.hdr, IPV6_HDR, NONE"})
    void shouldSelectStickyBuffers(final String keyword, final Buffer buffer, final AppProtocol app)
    {
        final Rule r = options(keyword + "; content:\"ab\"; pcre:\"/a/\"; isdataat:1,relative;");
        assertEquals(1, r.inspections().size());
        assertEquals(buffer, r.inspections().get(0).buffer());
        assertEquals(3, r.inspections().get(0).matches().size());
        assertEquals(app, r.appProtocol());
    }

    /** Every legacy content modifier, with the buffer it moves the last content to, written out by hand. */
    @ParameterizedTest
    @CsvSource({
        "http_uri, HTTP_URI", "http_raw_uri, HTTP_URI_RAW", "http_host, HTTP_HOST", "http_raw_host, HTTP_HOST_RAW",
        "http_method, HTTP_METHOD", "http_header, HTTP_HEADER", "http_user_agent, HTTP_USER_AGENT",
        "http_cookie, HTTP_COOKIE", "http_client_body, HTTP_REQUEST_BODY", "http_stat_code, HTTP_STAT_CODE",
        "http_stat_msg, HTTP_STAT_MSG"})
    void shouldMoveTheLastContentWithLegacyModifiers(final String keyword, final Buffer buffer)
    {
        final Rule r = options("content:\"one\"; content:\"two\"; nocase; " + keyword + "; content:\"three\";");
        assertEquals(List.of(Buffer.PAYLOAD, buffer),
            r.inspections().stream().map(BufferInspection::buffer).toList());
        final List<BufferMatch> payload = r.inspections(Buffer.PAYLOAD).get(0).matches();
        assertEquals(List.of("one", "three"), payload.stream().map(m -> ((ContentMatch)m).patternText()).toList());
        final ContentMatch moved = (ContentMatch)single(r, buffer);
        assertEquals("two", moved.patternText());
        assertTrue(moved.nocase());
        assertEquals(AppProtocol.HTTP, r.appProtocol());
    }

    @Test
    void shouldChainRelativeKeywordsWithinTheirOwnBuffer()
    {
        final Rule r = rule("alert http any any -> any any (http.method; content:\"POST\"; http.uri; content:\"/a\";"
            + " http.method; content:\"T\"; distance:0; sid:1;)");
        assertEquals(List.of(Buffer.HTTP_METHOD, Buffer.HTTP_URI),
            r.inspections().stream().map(BufferInspection::buffer).toList());
        assertEquals(2, r.inspections(Buffer.HTTP_METHOD).get(0).matches().size());
    }

    @Test
    void shouldOpenOneInspectionPerUseOfAMultiBuffer()
    {
        final Rule r = rule("alert tls any any -> any any (tls.alpn; content:\"h2\"; tls.alpn; content:\"http/1.1\";"
            + " sid:1;)");
        assertEquals(2, r.inspections(Buffer.TLS_ALPN).size());
        final Rule d = rule("alert dns any any -> any any (dns.query; content:\"a\"; dns.query; content:\"b\";"
            + " sid:1;)");
        assertEquals(2, d.inspections(Buffer.DNS_QUERY).size());
    }

    // ---------------------------------------------------------------- packet keywords

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ack:0|TCP_ACK|EQ|0|0", "seq:4294967295|TCP_SEQ|EQ|4294967295|0", "window:!1024|TCP_WINDOW|NE|1024|0",
        "id:31337|IP_ID|EQ|31337|0", "ttl:<3|IP_TTL|LT|3|0", "ttl:3-5|IP_TTL|RANGE|3|5", "itype: 8|ICMP_TYPE|EQ|8|0",
        "icode:>=0x2|ICMP_CODE|GE|2|0", "dsize:&0xc0=0x80|PAYLOAD_SIZE|MASK_EQ|192|128"})
    void shouldParseHeaderIntegers(final String option, final HeaderInt.Field field, final IntMatch.Mode mode,
        final long a, final long b)
    {
        final boolean icmp = field == HeaderInt.Field.ICMP_TYPE || field == HeaderInt.Field.ICMP_CODE;
        final String protocol = icmp ? "icmp" : "tcp";
        final Rule r = rule("alert " + protocol + " any any -> any any (" + option + "; sid:1;)");
        assertEquals(List.of(new HeaderInt(field, new IntMatch(mode, a, b))), r.conditions());
    }

    @Test
    void shouldParseTcpFlags()
    {
        assertEquals(new TcpFlags(TcpFlags.Mode.EXACT, 0x02, 0xC0), options("flags: S,12;").conditions().get(0));
        assertEquals(new TcpFlags(TcpFlags.Mode.ALL, 0x12, 0), options("flags:SA+;").conditions().get(0));
        assertEquals(new TcpFlags(TcpFlags.Mode.ANY, 0x05, 0), options("flags:*FR;").conditions().get(0));
        assertEquals(new TcpFlags(TcpFlags.Mode.NOT, 0x08, 0), options("flags:!P;").conditions().get(0));
        assertEquals(new TcpFlags(TcpFlags.Mode.EXACT, 0, 0), options("flags:0;").conditions().get(0));
        final TcpFlags syn = new TcpFlags(TcpFlags.Mode.EXACT, 0x02, 0xC0);
        assertTrue(syn.test(0x02));
        assertTrue(syn.test(0xC2));
        assertFalse(syn.test(0x12));
    }

    @Test
    void shouldParseIpProto()
    {
        assertEquals(new IpProtocol(IntMatch.equal(41)), rule("alert ip any any -> any any (ip_proto:41; sid:1;)")
            .conditions().get(0));
        assertEquals(new IpProtocol(new IntMatch(IntMatch.Mode.NE, 6, 0)),
            rule("alert ip any any -> any any (ip_proto:!tcp; sid:1;)").conditions().get(0));
        assertEquals(new IpProtocol(new IntMatch(IntMatch.Mode.GT, 50, 0)),
            rule("alert ip any any -> any any (ip_proto:>50; sid:1;)").conditions().get(0));
    }

    @Test
    void shouldParseVlanId()
    {
        assertEquals(new VlanId(IntMatch.equal(200), VlanId.Scope.LAYER, 0),
            options("vlan.id:200,0;").conditions().get(0));
        assertEquals(new VlanId(IntMatch.equal(400), VlanId.Scope.LAYER, -1), options("vlan.id:400,-1;").conditions()
            .get(0));
        assertEquals(new VlanId(IntMatch.equal(300), VlanId.Scope.ANY, 0),
            options("vlan.id:0x12C;").conditions().get(0));
        assertEquals(new VlanId(new IntMatch(IntMatch.Mode.NE, 500, 0), VlanId.Scope.ALL, 0),
            options("vlan.id:!500,all;").conditions().get(0));
        assertEquals(new VlanId(new IntMatch(IntMatch.Mode.RANGE, 100, 600), VlanId.Scope.LAYER, 2),
            options("vlan.id:100-600,2;").conditions().get(0));
    }

    // ---------------------------------------------------------------- flow, stream, app layer

    @Test
    void shouldParseFlow()
    {
        assertEquals(new FlowCondition(FlowCondition.State.ESTABLISHED, FlowCondition.Side.TO_SERVER,
            FlowCondition.Mode.ANY), options("flow:established,to_server;").flow());
        assertEquals(new FlowCondition(FlowCondition.State.ESTABLISHED, FlowCondition.Side.TO_CLIENT,
            FlowCondition.Mode.ONLY_STREAM), options("flow: from_server, established, only_stream;").flow());
        assertEquals(new FlowCondition(FlowCondition.State.NOT_ESTABLISHED, FlowCondition.Side.TO_SERVER,
            FlowCondition.Mode.NO_STREAM), options("flow:not_established,from_client,no_stream;").flow());
        assertEquals(new FlowCondition(FlowCondition.State.STATELESS, FlowCondition.Side.ANY, FlowCondition.Mode.ANY),
            options("flow:stateless;").flow());
        assertEquals(FlowCondition.ANY, options("").flow());
    }

    @Test
    void shouldParseStreamSize()
    {
        assertEquals(new StreamSize(StreamSize.Side.SERVER, new IntMatch(IntMatch.Mode.LT, 5, 0)),
            options("stream_size:server,<,5;").conditions().get(0));
        assertEquals(new StreamSize(StreamSize.Side.EITHER, new IntMatch(IntMatch.Mode.GE, 100, 0)),
            options("stream_size:either,>=,100;").conditions().get(0));
        assertEquals(new StreamSize(StreamSize.Side.CLIENT, IntMatch.equal(1)),
            options("stream_size:client,=,1;").conditions().get(0));
    }

    @Test
    void shouldParseAppLayerProtocol()
    {
        assertEquals(new AppLayerProtocol(AppLayerProtocol.Name.HTTP, false),
            options("app-layer-protocol:http;").conditions().get(0));
        assertEquals(new AppLayerProtocol(AppLayerProtocol.Name.TLS, true),
            options("app-layer-protocol:!tls;").conditions().get(0));
        assertEquals(new AppLayerProtocol(AppLayerProtocol.Name.FAILED, false),
            options("app-layer-protocol:failed;").conditions().get(0));
    }

    @Test
    void shouldParseTlsConditions()
    {
        final Rule r = rule("alert tls any any -> any any (ssl_state:client_hello|!server_keyx; ssl_version:sslv3,"
            + "tls1.0; tls.version:1.2; tls.version:0x7f12; sid:1;)");
        assertEquals(List.of(new SslState(SslState.CLIENT_HELLO, SslState.SERVER_KEYX),
            new SslVersion(SslVersion.SSLV3 | SslVersion.TLS1_0, 0), new TlsVersion(0x0303), new TlsVersion(0x7F12)),
            r.conditions());
        assertEquals(AppProtocol.TLS, rule("alert tcp any any -> any any (ssl_version:!sslv2; sid:1;)").appProtocol());
    }

    // ---------------------------------------------------------------- state and rate

    @Test
    void shouldParseFlowbits()
    {
        final Rule r = options("flowbits:isset,ET.a|ET.b; flowbits:set,ET.c; flowbits:unset,ET.d; flowbits:toggle,x;"
            + " flowbits:isnotset,y;");
        assertEquals(List.of(new StateOp.Flowbit(StateOp.Command.ISSET, List.of("ET.a", "ET.b")),
            new StateOp.Flowbit(StateOp.Command.SET, List.of("ET.c")),
            new StateOp.Flowbit(StateOp.Command.UNSET, List.of("ET.d")),
            new StateOp.Flowbit(StateOp.Command.TOGGLE, List.of("x")),
            new StateOp.Flowbit(StateOp.Command.ISNOTSET, List.of("y"))), r.stateOps());
        assertFalse(r.noalert());
    }

    @Test
    void shouldParseXbits()
    {
        assertEquals(List.of(new StateOp.Xbit(StateOp.Command.SET, "ET.IBMDRM1", StateOp.Track.IP_DST, 10),
            new StateOp.Xbit(StateOp.Command.ISSET, "ET.ipcheck", StateOp.Track.IP_PAIR, 30)),
            options("xbits:set,ET.IBMDRM1,track ip_dst, expire 10; xbits:isset,ET.ipcheck,track ip_pair;").stateOps());
    }

    @Test
    void shouldParseThresholdAndDetectionFilter()
    {
        assertEquals(new Threshold(Threshold.Type.LIMIT, Threshold.Track.BY_SRC, 2, 300),
            options("threshold: type limit, count 2, seconds 300, track by_src;").threshold());
        assertEquals(new Threshold(Threshold.Type.BOTH, Threshold.Track.BY_DST, 1, 600),
            options("threshold:type both,track by_dst,count 1,seconds 600;").threshold());
        assertEquals(new Threshold(Threshold.Type.THRESHOLD, Threshold.Track.BY_RULE, 10, 60),
            options("threshold:type threshold,track by_rule,count 10,seconds 60;").threshold());
        assertEquals(new DetectionFilter(Threshold.Track.BY_BOTH, 15, 2),
            options("detection_filter:track by_both,count 15,seconds 2;").detectionFilter());
        assertNull(options("").threshold());
    }

    @Test
    void shouldReadKeywordsAndActionsIgnoringCase()
    {
        final Rule r = rule("ALERT tcp any any -> any any (CONTENT:\"a\"; NoCase; Sid:3;)");
        assertEquals(Action.ALERT, r.header().action());
        assertTrue(((ContentMatch)single(r, Buffer.PAYLOAD)).nocase());
        assertEquals(3, r.sid());
    }

    @Test
    void shouldEndAnOptionOnlyAtASemicolonWithoutABackslashBeforeIt()
    {
        // pcre:"/a\\;b/" -- the ';' follows a backslash, so it does not end the value (Suricata counts no escapes)
        final PcreMatch p = (PcreMatch)single(options("pcre:\"/a\\\\;b/\";"), Buffer.PAYLOAD);
        assertEquals("a\\\\;b", p.source());
        assertTrue(p.compile().matcher("a\\;b").find());
    }

    @Test
    void shouldKeepTheTextAndOrigin()
    {
        final RuleSource origin = new RuleSource(Path.of("a.rules"), 12);
        final Rule r = parser.parse("  alert ip any any -> any any (sid:9;)  ", origin);
        assertEquals("alert ip any any -> any any (sid:9;)", r.text());
        assertEquals(origin, r.origin());
    }

    @Test
    void shouldTakeTcpFlagsAsTheCurrentNameOfFlags()
    {
        assertEquals(options("flags:S;").conditions(), options("tcp.flags:S;").conditions());
        assertNotEquals(options("flags:SA;").conditions(), options("tcp.flags:S;").conditions());
    }

    @Test
    void shouldAcceptPrefilterWithoutChangingTheRule()
    {
        assertEquals(options("vlan.id:200,0;").conditions(), options("vlan.id:200,0; prefilter;").conditions());
        assertThrows(RuleException.class, () -> options("vlan.id:200,0; prefilter:yes;"));
    }
}
