package io.opensase.ips.rules;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.opensase.ips.rules.SkipReason.Category.BAD_HEADER;
import static io.opensase.ips.rules.SkipReason.Category.BAD_SYNTAX;
import static io.opensase.ips.rules.SkipReason.Category.BAD_VALUE;
import static io.opensase.ips.rules.SkipReason.Category.CONFLICT;
import static io.opensase.ips.rules.SkipReason.Category.UNDEFINED_VARIABLE;
import static io.opensase.ips.rules.SkipReason.Category.UNKNOWN_KEYWORD;
import static io.opensase.ips.rules.SkipReason.Category.UNSUPPORTED_ACTION;
import static io.opensase.ips.rules.SkipReason.Category.UNSUPPORTED_PCRE;
import static io.opensase.ips.rules.SkipReason.Category.UNSUPPORTED_PROTOCOL;
import static io.opensase.ips.rules.SkipReason.Category.UNSUPPORTED_SETTING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rules that must not load, each with the category and key of the reason it is skipped for. */
class RuleErrorTest
{
    private static Arguments header(final String header, final SkipReason.Category category, final String key)
    {
        return Arguments.of(header + " (sid:1;)", category, key);
    }

    /** A TCP rule with the given options (and sid 1 unless the options replace it). */
    private static Arguments opts(final String options, final SkipReason.Category category, final String key)
    {
        return Arguments.of("alert tcp any any -> any any (" + options + " sid:1;)", category, key);
    }

    private static Arguments rule(final String rule, final SkipReason.Category category, final String key)
    {
        return Arguments.of(rule, category, key);
    }

    static Stream<Arguments> cases()
    {
        return Stream.of(
            // header
            header("rejectsrc tcp any any -> any any", UNSUPPORTED_ACTION, "rejectsrc"),
            header("alertx tcp any any -> any any", BAD_HEADER, "action"),
            header("alert smtp any any -> any any", UNSUPPORTED_PROTOCOL, "smtp"),
            header("alert pkthdr any any -> any any", UNSUPPORTED_PROTOCOL, "pkthdr"),
            header("alert tcp any any -> any", BAD_HEADER, "header"),
            header("alert tcp any any <- any any", BAD_HEADER, "direction"),
            header("alert tcp 1.2.3 any -> any any", BAD_HEADER, "source address"),
            header("alert tcp 300.1.1.1 any -> any any", BAD_HEADER, "source address"),
            header("alert tcp any any -> 1.2.3.4/33 any", BAD_HEADER, "destination address"),
            header("alert tcp 10.0.0.0/255.0.255.0 any -> any any", BAD_HEADER, "source address"),
            header("alert tcp !any any -> any any", BAD_HEADER, "source address"),
            header("alert tcp [1.2.3.4,!1.2.3.4] any -> any any", BAD_HEADER, "source address"),
            // found by a tester: 5,000 nested groups overflowed the stack of the recursive list parser
            header("alert tcp " + "[".repeat(5000) + "1.1.1.1" + "]".repeat(5000) + " any -> any any", BAD_HEADER,
                "source address"),
            header("alert tcp any " + "!".repeat(5000) + "80 -> any any", BAD_HEADER, "source port"),
            header("alert tcp [1.2.3.4 any -> any any", BAD_HEADER, "header"),
            header("alert tcp 10.0.0.9-10.0.0.1 any -> any any", BAD_HEADER, "source address"),
            header("alert tcp 2001:db8::g any -> any any", BAD_HEADER, "source address"),
            header("alert tcp $NOPE any -> any any", UNDEFINED_VARIABLE, "$NOPE"),
            header("alert tcp any $NOPE_PORTS -> any any", UNDEFINED_VARIABLE, "$NOPE_PORTS"),
            header("alert tcp any any -> any 70000", BAD_HEADER, "destination port"),
            header("alert tcp any 100:50 -> any any", BAD_HEADER, "source port"),
            header("alert tcp any !any -> any any", BAD_HEADER, "source port"),
            header("alert tcp any [80,!80] -> any any", BAD_HEADER, "source port"),
            header("alert tcp any http -> any any", BAD_HEADER, "source port"),
            // option syntax
            rule("alert tcp any any -> any any sid:1;", BAD_SYNTAX, "options"),
            rule("alert tcp any any -> any any (sid:1;", BAD_SYNTAX, "options"),
            rule("alert tcp any any -> any any (msg:\"x\"; sid:1)", BAD_SYNTAX, "options"),
            rule("alert tcp any any -> any any (msg:\"a\\\"; sid:1;)", BAD_VALUE, "msg"),
            // unknown keywords win over bad values before them
            opts("content:\"a\"; depth:0; dotprefix;", UNKNOWN_KEYWORD, "dotprefix"),
            opts("http.protocol; content:\"a\";", UNKNOWN_KEYWORD, "http.protocol"),
            opts("content_x:\"a\";", UNKNOWN_KEYWORD, "content_x"),
            // meta
            rule("alert tcp any any -> any any (msg:\"no sid\";)", BAD_VALUE, "sid"),
            rule("alert tcp any any -> any any (sid:0;)", BAD_VALUE, "sid"),
            rule("alert tcp any any -> any any (sid:4294967296;)", BAD_VALUE, "sid"),
            rule("alert tcp any any -> any any (sid:12a;)", BAD_VALUE, "sid"),
            opts("priority:0;", BAD_VALUE, "priority"),
            opts("classtype:bad class;", BAD_VALUE, "classtype"),
            opts("reference:nocomma;", BAD_VALUE, "reference"),
            opts("target:both;", BAD_VALUE, "target"),
            opts("noalert:yes;", BAD_VALUE, "noalert"),
            opts("tag:flow;", BAD_VALUE, "tag"),
            opts("tag:session,10,packets,src;", BAD_VALUE, "tag"),
            // content
            opts("content:abc;", BAD_VALUE, "content"),
            opts("content:\"a\"b\";", BAD_VALUE, "content"),
            opts("content:\"|4g|\";", BAD_VALUE, "content"),
            opts("content:\"|414|\";", BAD_VALUE, "content"),
            opts("content:\"|41\";", BAD_VALUE, "content"),
            opts("content:\"\";", BAD_VALUE, "content"),
            opts("content:\"a\\n\";", BAD_VALUE, "content"),
            opts("content:\"abcd\"; depth:3;", BAD_VALUE, "depth"),
            opts("content:\"a\"; content:\"bcd\"; within:2;", BAD_VALUE, "within"),
            opts("content:\"a\"; content:\"b\"; offset:1; distance:0;", CONFLICT, "content modifiers"),
            opts("content:\"a\"; startswith; depth:4;", CONFLICT, "content modifiers"),
            opts("content:\"a\"; nocase; nocase;", BAD_VALUE, "nocase"),
            opts("content:\"a\"; depth:4; depth:5;", BAD_VALUE, "depth"),
            opts("nocase; content:\"a\";", BAD_VALUE, "nocase"),
            opts("content:\"a\"; offset:-1;", BAD_VALUE, "offset"),
            opts("content:\"a\"; fast_pattern; content:\"b\"; fast_pattern;", BAD_VALUE, "fast_pattern"),
            opts("content:\"abc\"; fast_pattern:2,2;", BAD_VALUE, "fast_pattern"),
            opts("content:\"a\"; within:nope;", BAD_VALUE, "within"),
            // buffers
            opts("http.uri; content:\"a\"; http_header;", CONFLICT, "content modifiers"),
            opts("content:\"a\"; http_uri; http_header;", CONFLICT, "content modifiers"),
            opts("http_uri; content:\"a\";", BAD_VALUE, "http_uri"),
            opts("http.uri:1; content:\"a\";", BAD_VALUE, "http.uri"),
            opts("http.host; content:\"Example\";", CONFLICT, "http.host"),
            opts("ja3.hash; content:\"ABCDEF\";", CONFLICT, "ja3.hash"),
            opts("http.uri; content:\"abcdef\"; bsize:<5;", CONFLICT, "bsize"),
            opts("bsize:5;", CONFLICT, "bsize"),
            opts("base64_data; content:\"a\";", CONFLICT, "base64_data"),
            opts("base64_decode; base64_decode:relative;", CONFLICT, "base64_decode"),
            opts("base64_decode:bytes x;", BAD_VALUE, "base64_decode"),
            opts("base64_decode:bytes 65536; base64_data; content:\"a\";", BAD_VALUE, "base64_decode"),
            opts("base64_decode; content:\"a\";", CONFLICT, "base64_decode"),
            opts("content:\"a\"; base64_decode; content:\"b\"; base64_data; content:\"c\";", CONFLICT,
                "base64_decode"),
            // pcre
            opts("pcre:\"abc\";", BAD_VALUE, "pcre"),
            opts("pcre:/abc/;", BAD_VALUE, "pcre"),
            opts("pcre:\"/abc/q\";", BAD_VALUE, "pcre"),
            opts("pcre:\"/abc/Q\";", UNSUPPORTED_SETTING, "pcre"),
            opts("pcre:\"/abc/D\";", UNSUPPORTED_SETTING, "pcre"),
            opts("pcre:\"/abc/UH\";", CONFLICT, "pcre"),
            opts("http.uri; pcre:\"/abc/H\";", CONFLICT, "pcre"),
            opts("pcre:\"/(a)/,flow:x\";", UNSUPPORTED_SETTING, "pcre"),
            opts("pcre:\"/a(?R)?/\";", UNSUPPORTED_PCRE, "recursion and subroutine calls"),
            opts("pcre:\"/a\\Kb/\";", UNSUPPORTED_PCRE, "\\K"),
            opts("pcre:\"/(*UTF)a/\";", UNSUPPORTED_PCRE, "(*VERB) and start options"),
            opts("pcre:\"/(a)?(?(1)b|c)/\";", UNSUPPORTED_PCRE, "conditionals"),
            opts("pcre:\"/(?|(a)|(b))/\";", UNSUPPORTED_PCRE, "branch reset"),
            opts("pcre:\"/\\p{L}/\";", UNSUPPORTED_PCRE, "Unicode properties"),
            opts("pcre:\"/a{,3}/\";", UNSUPPORTED_PCRE, "{,n} and spaced quantifiers"),
            opts("pcre:\"/(?<pkt_x>a)/\";", UNSUPPORTED_PCRE, "capture into variables"),
            opts("pcre:\"/(?J)(?<a>x)/\";", UNSUPPORTED_PCRE, "option J"),
            opts("pcre:\"/[\\d-a]/\";", BAD_VALUE, "pcre"),
            opts("pcre:\"/a\\i/\";", BAD_VALUE, "pcre"),
            opts("pcre:\"/(a/\";", BAD_VALUE, "pcre"),
            // other payload keywords
            opts("isdataat:1,sideways;", BAD_VALUE, "isdataat"),
            opts("byte_test:2,=,1,0,dce;", UNSUPPORTED_SETTING, "byte_test"),
            opts("byte_test:9,=,1,0;", BAD_VALUE, "byte_test"),
            opts("byte_test:0,=,1,0;", BAD_VALUE, "byte_test"),
            opts("byte_test:2,~,1,0;", BAD_VALUE, "byte_test"),
            opts("byte_test:2,=,1;", BAD_VALUE, "byte_test"),
            opts("byte_test:2,=,nope,0;", BAD_VALUE, "byte_test"),
            opts("byte_jump:2,0,hex;", BAD_VALUE, "byte_jump"),
            opts("byte_test:2,=,1,0,hex;", BAD_VALUE, "byte_test"),
            opts("byte_jump:0,0;", BAD_VALUE, "byte_jump"),
            opts("byte_extract:2,0,1abc;", BAD_VALUE, "byte_extract"),
            opts("byte_extract:2,0,v; byte_extract:1,0,v;", BAD_VALUE, "byte_extract"),
            opts("byte_extract:2,0,v,align 3;", BAD_VALUE, "byte_extract"),
            opts("byte_extract:2,0,v; http.uri; content:\"a\"; depth:v;", CONFLICT, "byte_extract"),
            opts("dns.query; dataset:isset,x, type sha1;", BAD_VALUE, "dataset"),
            opts("dns.query; dataset:set,x, type string, save x.lst;", UNSUPPORTED_SETTING, "dataset"),
            opts("dns.query; dataset:set,x, type string, state /tmp/x.lst;", BAD_VALUE, "dataset"),
            opts("dns.query; dataset:set,x, type string, state ../x.lst;", BAD_VALUE, "dataset"),
            opts("dns.query; dataset:set,x, type string, state x.lst, load y.lst;", CONFLICT, "dataset"),
            opts("dns.query; dataset:isset,x;", BAD_VALUE, "dataset"),
            opts("dataset:isset,x, type string;", CONFLICT, "dataset"),
            // packet, flow, app layer
            opts("dsize:<0;", BAD_VALUE, "dsize"),
            opts("dsize:70000;", BAD_VALUE, "dsize"),
            opts("dsize:5-5;", BAD_VALUE, "dsize"),
            opts("dsize:5; dsize:6;", BAD_VALUE, "dsize"),
            opts("ttl:256;", BAD_VALUE, "ttl"),
            opts("flags:SX;", BAD_VALUE, "flags"),
            opts("flags:+*S;", BAD_VALUE, "flags"),
            opts("ip_proto:nonsense;", BAD_VALUE, "ip_proto"),
            opts("vlan.id:10,3;", BAD_VALUE, "vlan.id"),
            opts("vlan.id:5000;", BAD_VALUE, "vlan.id"),
            opts("flow:established,only_frag;", UNSUPPORTED_SETTING, "flow"),
            opts("flow:to_server,to_client;", BAD_VALUE, "flow"),
            opts("flow:sideways;", BAD_VALUE, "flow"),
            opts("flow:established; flow:to_server;", BAD_VALUE, "flow"),
            opts("stream_size:server,~,5;", BAD_VALUE, "stream_size"),
            opts("app-layer-protocol:smb;", UNSUPPORTED_SETTING, "app-layer-protocol"),
            opts("app-layer-protocol:http,final;", UNSUPPORTED_SETTING, "app-layer-protocol"),
            opts("ssl_state:client_bye;", BAD_VALUE, "ssl_state"),
            opts("ssl_version:tls2.0;", BAD_VALUE, "ssl_version"),
            opts("tls.version:1.4;", BAD_VALUE, "tls.version"),
            opts("urilen:5,cooked;", BAD_VALUE, "urilen"),
            // state and rate
            opts("flowbits:set,a&b;", UNSUPPORTED_SETTING, "flowbits"),
            opts("flowbits:set,a|b;", BAD_VALUE, "flowbits"),
            opts("flowbits:flip,a;", BAD_VALUE, "flowbits"),
            opts("xbits:set,a,track tx;", UNSUPPORTED_SETTING, "xbits"),
            opts("xbits:set,a;", BAD_VALUE, "xbits"),
            opts("threshold:type backoff,track by_src,count 1,seconds 1;", UNSUPPORTED_SETTING, "threshold"),
            opts("threshold:type limit,track by_flow,count 1,seconds 1;", UNSUPPORTED_SETTING, "threshold"),
            opts("threshold:type limit,track by_src,seconds 1;", BAD_VALUE, "threshold"),
            opts("threshold:type limit,track by_src,count 0,seconds 1;", BAD_VALUE, "threshold"),
            opts("detection_filter:track by_src,count 1,seconds 1,unique_on dst_port;", UNSUPPORTED_SETTING,
                "detection_filter"),
            // rule-wide conflicts
            opts("threshold:type limit,track by_src,count 1,seconds 1; detection_filter:track by_src,count 1,"
                + "seconds 1;", CONFLICT, "threshold"),
            rule("alert tls any any -> any any (http.uri; content:\"a\"; sid:1;)", CONFLICT, "protocol"),
            rule("alert tcp any any -> any any (http.uri; content:\"a\"; tls.sni; content:\"b\"; sid:1;)", CONFLICT,
                "protocol"),
            rule("alert udp any any -> any any (http.uri; content:\"a\"; sid:1;)", CONFLICT, "protocol"),
            rule("alert icmp any any -> any any (dns.query; content:\"a\"; sid:1;)", CONFLICT, "protocol"),
            rule("alert http any any -> any any (http.uri; content:\"a\"; http.stat_code; content:\"200\"; sid:1;)",
                CONFLICT, "direction"),
            rule("alert http any any -> any any (flow:to_server; http.server; content:\"a\"; sid:1;)", CONFLICT,
                "direction"),
            rule("alert tcp any any -> any any (itype:8; sid:1;)", CONFLICT, "protocol"),
            rule("alert udp any any -> any any (flags:S; sid:1;)", CONFLICT, "protocol"),
            rule("alert icmp any any -> any any (stream_size:server,<,5; sid:1;)", CONFLICT, "protocol"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void shouldSkipWithReason(final String rule, final SkipReason.Category category, final String key)
    {
        final RuleParser parser = new RuleParser(Variables.suricataDefaults(), null);
        final RuleException ex = assertThrows(RuleException.class, () -> parser.parse(rule, RuleSource.TEXT));
        assertEquals(category, ex.reason().category(), ex.getMessage());
        assertEquals(key, ex.reason().key(), ex.getMessage());
        assertTrue(!ex.reason().detail().isBlank());
    }

    @Test
    void shouldRejectClassesMissingFromTheConfiguration()
    {
        final RuleParser parser = new RuleParser(Variables.suricataDefaults(), Classifications.of(List.of()));
        final RuleException ex = assertThrows(RuleException.class,
            () -> parser.parse("alert ip any any -> any any (classtype:nope; sid:1;)", RuleSource.TEXT));
        assertEquals(new SkipReason(BAD_VALUE, "classtype", "class 'nope' is not in classification.config"),
            ex.reason());
    }

    @Test
    void shouldRejectVariableCycles()
    {
        final RuleParser parser = new RuleParser(Variables.of(Map.of("A", "[$B,1.2.3.4]", "B", "!$A"), Map.of()), null);
        final RuleException ex = assertThrows(RuleException.class,
            () -> parser.parse("alert ip $A any -> any any (sid:1;)", RuleSource.TEXT));
        assertEquals(BAD_HEADER, ex.reason().category());
        assertEquals("source address", ex.reason().key());
    }

    /**
     * Found by a tester: 24 variables each naming the next twice expand to 2^24 addresses (and ports), which
     * kept the check busy for minutes; the list is refused once it takes more than 100,000 entries.
     */
    @Test
    void shouldRejectVariablesThatExpandPastTheEntryLimit()
    {
        final Map<String, String> doubling = new java.util.HashMap<>();
        for (int i = 0; i < 24; i++)
        {
            doubling.put("V" + i, "[$V" + (i + 1) + ",$V" + (i + 1) + "]");
        }
        final Map<String, String> addresses = new java.util.HashMap<>(doubling);
        addresses.put("V24", "10.0.0.1");
        final Map<String, String> ports = new java.util.HashMap<>(doubling);
        ports.put("V24", "80");
        final RuleParser parser = new RuleParser(Variables.of(addresses, ports), null);
        final long start = System.nanoTime();
        final RuleException address = assertThrows(RuleException.class,
            () -> parser.parse("alert ip $V0 any -> any any (sid:1;)", RuleSource.TEXT));
        assertEquals(new SkipReason(BAD_HEADER, "source address",
            "the list takes more than 100000 entries once its variables are expanded"), address.reason());
        final RuleException port = assertThrows(RuleException.class,
            () -> parser.parse("alert tcp any any -> any $V0 (sid:1;)", RuleSource.TEXT));
        assertEquals(new SkipReason(BAD_HEADER, "destination port",
            "the list takes more than 100000 entries once its variables are expanded"), port.reason());
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "refused in seconds, not minutes");

        // 14 doublings load: 16,384 addresses, 65,534 entries with the groups and variables.
        addresses.put("V14", "10.0.0.1");
        assertEquals(1, new RuleParser(Variables.of(addresses, Map.of()), null)
            .parse("alert ip $V0 any -> any any (sid:1;)", RuleSource.TEXT).sid());
    }
}
