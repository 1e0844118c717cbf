package io.opensase.ips.match;

import io.opensase.classifiers.testing.SharedData;
import io.opensase.ips.rules.AppLayerProtocol;
import io.opensase.ips.rules.Rule;
import io.opensase.ips.rules.RuleSet;
import io.opensase.ips.rules.RuleSetLoader;
import io.opensase.ips.rules.SslState;
import io.opensase.ips.rules.Variables;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packet, flow and application keywords on hand-built packet facts: for each, an input that must match
 * and one that must not, worked out from Suricata's documented semantics; and every {@code vlan.id} form of
 * the suricata-verify case {@code detect-vlan-id} on the VLAN stacks of its capture.
 */
class PacketKeywordsTest
{
    /** TCP flags bits. */
    private static final int FIN = 0x01;
    private static final int SYN = 0x02;
    private static final int RST = 0x04;
    private static final int PSH = 0x08;
    private static final int ACK = 0x10;
    private static final int ECE = 0x40;
    private static final int CWR = 0x80;

    /** True when the single rule {@code rule} matches the input {@code fill} builds (no flow by default). */
    private static boolean matches(final String rule, final Consumer<MatchInput> fill)
    {
        final List<Rule> rules = MatchTesting.rules(rule);
        final MatchInput input = new MatchInput();
        fill.accept(input);
        try (RuleMatcher matcher =
            RuleMatcher.compile(rules, PrefilterEngine.JAVA, RuleMatcher.DEFAULT_PCRE_SUBJECT_LIMIT);
            RuleMatcher.Worker worker = matcher.newWorker())
        {
            assertEquals(1, matcher.enforced().size(), () -> "not enforced: " + matcher.notEnforced());
            final int n = worker.match(input);
            assertEquals(n, worker.matchWithoutPrefilter(input), "prefiltered and plain verification differ");
            return 1 == n;
        }
    }

    private static String tcp(final String options)
    {
        return "alert tcp any any -> any any (" + options + " sid:1;)";
    }

    private static String ip(final String options)
    {
        return "alert ip any any -> any any (" + options + " sid:1;)";
    }

    private static Consumer<MatchInput> tcpPacket(final int flags, final long seq, final long ack, final int window)
    {
        return in -> in.ipv4(1, 64, 6).tcp(flags, seq, ack, window);
    }

    @Test
    void flags()
    {
        assertTrue(matches(tcp("flags:S;"), tcpPacket(SYN, 0, 0, 0)));
        assertFalse(matches(tcp("flags:S;"), tcpPacket(SYN | ACK, 0, 0, 0)), "exact: SYN+ACK is not SYN");
        assertTrue(matches(tcp("flags:+S;"), tcpPacket(SYN | ACK, 0, 0, 0)));
        assertFalse(matches(tcp("flags:+SA;"), tcpPacket(SYN, 0, 0, 0)));
        assertTrue(matches(tcp("flags:*FR;"), tcpPacket(RST | ACK, 0, 0, 0)));
        assertFalse(matches(tcp("flags:*FR;"), tcpPacket(PSH | ACK, 0, 0, 0)));
        assertTrue(matches(tcp("flags:!SA;"), tcpPacket(SYN, 0, 0, 0)), "not both SYN and ACK");
        assertFalse(matches(tcp("flags:!SA;"), tcpPacket(SYN | ACK, 0, 0, 0)));
        // 12 (CWR, ECE) ignored: SYN with ECN bits is still exactly S.
        assertTrue(matches(tcp("flags:S,12;"), tcpPacket(SYN | ECE | CWR, 0, 0, 0)));
        assertFalse(matches(tcp("flags:S;"), tcpPacket(SYN | ECE | CWR, 0, 0, 0)));
        assertTrue(matches(tcp("flags:0;"), tcpPacket(0, 0, 0, 0)));
        assertFalse(matches(tcp("flags:0;"), tcpPacket(FIN, 0, 0, 0)));
        assertFalse(matches(tcp("flags:S;"), in -> in.ipv4(1, 64, 17)), "not a TCP packet");
        assertTrue(matches(tcp("tcp.flags:S;"), tcpPacket(SYN, 0, 0, 0)));
        assertFalse(matches(tcp("tcp.flags:S;"), tcpPacket(SYN | ACK, 0, 0, 0)));
        final RuleSet both = new RuleSetLoader(Variables.anyDefaults(), null).loadText(tcp("flags:S; tcp.flags:A;"));
        assertTrue(both.rules().isEmpty() && both.skipped().get(0).reason().toString().contains("given twice"),
            () -> "flags under both names: " + both.skipped());
    }

    @Test
    void seqAckWindow()
    {
        assertTrue(matches(tcp("seq:0;"), tcpPacket(SYN, 0, 0, 1024)));
        assertFalse(matches(tcp("seq:0;"), tcpPacket(SYN, 1, 0, 1024)));
        assertTrue(matches(tcp("seq:4294967295;"), tcpPacket(SYN, 0xFFFF_FFFFL, 0, 1024)));
        assertTrue(matches(tcp("ack:>1000;"), tcpPacket(ACK, 0, 1001, 1024)));
        assertFalse(matches(tcp("ack:>1000;"), tcpPacket(ACK, 0, 1000, 1024)));
        assertTrue(matches(tcp("window:55808;"), tcpPacket(SYN, 0, 0, 55808)));
        assertFalse(matches(tcp("window:55808;"), tcpPacket(SYN, 0, 0, 55807)));
        assertTrue(matches(tcp("window:!0;"), tcpPacket(SYN, 0, 0, 1)));
        assertFalse(matches(tcp("window:!0;"), tcpPacket(SYN, 0, 0, 0)));
        assertFalse(matches(tcp("window:!0;"), in -> in.ipv4(1, 64, 6)), "no TCP header");
    }

    @Test
    void ipIdAndTtl()
    {
        assertTrue(matches(ip("id:31337;"), in -> in.ipv4(31337, 64, 6)));
        assertFalse(matches(ip("id:31337;"), in -> in.ipv4(31338, 64, 6)));
        assertFalse(matches(ip("id:0;"), in -> in.ipv6(64, 6)), "IPv6 has no identification");
        assertTrue(matches(ip("ttl:<5;"), in -> in.ipv4(1, 4, 6)));
        assertFalse(matches(ip("ttl:<5;"), in -> in.ipv4(1, 5, 6)));
        assertTrue(matches(ip("ttl:255;"), in -> in.ipv6(255, 17)), "hop limit");
        assertFalse(matches(ip("ttl:255;"), in -> { }), "no IP header");
    }

    @Test
    void icmpTypeAndCode()
    {
        final String echo = "alert icmp any any -> any any (itype:8; icode:0; sid:1;)";
        assertTrue(matches(echo, in -> in.ipv4(1, 64, 1).icmp(8, 0)));
        assertFalse(matches(echo, in -> in.ipv4(1, 64, 1).icmp(0, 0)));
        assertFalse(matches(echo, in -> in.ipv4(1, 64, 1).icmp(8, 1)));
        assertTrue(matches("alert icmp any any -> any any (itype:>30; sid:1;)", in -> in.icmp(128, 0)));
        assertFalse(matches("alert icmp any any -> any any (itype:>30; sid:1;)", in -> in.icmp(30, 0)));
        assertFalse(matches(echo, in -> in.ipv4(1, 64, 6)), "no ICMP header");
    }

    @Test
    void ipProto()
    {
        assertTrue(matches(ip("ip_proto:47;"), in -> in.ipv4(1, 64, 47)));
        assertTrue(matches(ip("ip_proto:gre;"), in -> in.ipv4(1, 64, 47)));
        assertFalse(matches(ip("ip_proto:gre;"), in -> in.ipv4(1, 64, 50)));
        assertTrue(matches(ip("ip_proto:!tcp;"), in -> in.ipv6(64, 17)));
        assertFalse(matches(ip("ip_proto:!tcp;"), in -> in.ipv6(64, 6)));
        assertFalse(matches(ip("ip_proto:!tcp;"), in -> { }), "no IP header");
    }

    @Test
    void streamSize()
    {
        final Consumer<MatchInput> sizes = in -> in.ipv4(1, 64, 6).tcp(ACK, 0, 0, 0).streamSize(100, 5001);
        assertTrue(matches(tcp("stream_size:server,>,5000;"), sizes));
        assertFalse(matches(tcp("stream_size:client,>,5000;"), sizes));
        assertTrue(matches(tcp("stream_size:either,>,5000;"), sizes));
        assertFalse(matches(tcp("stream_size:both,>,5000;"), sizes));
        assertTrue(matches(tcp("stream_size:both,>=,100;"), sizes));
        assertTrue(matches(tcp("stream_size:client,=,100;"), sizes));
        assertFalse(matches(tcp("stream_size:client,!=,100;"), sizes));
        assertTrue(matches(tcp("stream_size:client,<=,100;"), sizes));
        assertFalse(matches(tcp("stream_size:client,<,100;"), sizes));
        assertFalse(matches(tcp("stream_size:client,<,100000;"), tcpPacket(ACK, 0, 0, 0)), "no stream");
    }

    @Test
    void appLayerProtocol()
    {
        final Consumer<MatchInput> http = in -> in.flow(MatchInput.Direction.TO_SERVER, true, true)
            .appProtocol(AppLayerProtocol.Name.HTTP);
        final Consumer<MatchInput> unknown = in -> in.flow(MatchInput.Direction.TO_SERVER, true, true)
            .appProtocol(AppLayerProtocol.Name.UNKNOWN);
        final Consumer<MatchInput> failed = in -> in.flow(MatchInput.Direction.TO_SERVER, true, true)
            .appProtocol(AppLayerProtocol.Name.FAILED);
        assertTrue(matches(tcp("app-layer-protocol:http;"), http));
        assertFalse(matches(tcp("app-layer-protocol:tls;"), http));
        assertTrue(matches(tcp("app-layer-protocol:!tls;"), http));
        assertFalse(matches(tcp("app-layer-protocol:!http;"), http));
        assertFalse(matches(tcp("app-layer-protocol:!tls;"), unknown), "not decided before identification ends");
        assertTrue(matches(tcp("app-layer-protocol:unknown;"), unknown));
        assertTrue(matches(tcp("app-layer-protocol:!unknown;"), failed));
        assertTrue(matches(tcp("app-layer-protocol:failed;"), failed));
        assertFalse(matches(tcp("app-layer-protocol:http;"), in -> in.appProtocol(AppLayerProtocol.Name.HTTP)),
            "no flow");
    }

    @Test
    void sslState()
    {
        final Consumer<MatchInput> hello = in -> in.tls(SslState.CLIENT_HELLO, 0x0301, 0);
        assertTrue(matches(tcp("ssl_state:client_hello;"), hello));
        assertFalse(matches(tcp("ssl_state:server_hello;"), hello));
        assertTrue(matches(tcp("ssl_state:server_hello|client_hello;"), hello));
        assertTrue(matches(tcp("ssl_state:!server_hello;"), hello));
        assertFalse(matches(tcp("ssl_state:!client_hello;"), hello));
        // Any of: server_hello was not seen, so "client_keyx or not server_hello" holds; with it seen, not.
        assertTrue(matches(tcp("ssl_state:client_keyx,!server_hello;"), hello));
        assertFalse(matches(tcp("ssl_state:client_keyx,!server_hello;"),
            in -> in.tls(SslState.SERVER_HELLO, 0x0303, 0x0303)));
        assertFalse(matches(tcp("ssl_state:client_hello;"), in -> { }), "not TLS");
    }

    @Test
    void sslVersion()
    {
        final Consumer<MatchInput> tls10 = in -> in.tls(SslState.CLIENT_HELLO, 0x0301, 0);
        assertTrue(matches(tcp("ssl_version:tls1.0;"), tls10));
        assertFalse(matches(tcp("ssl_version:tls1.2;"), tls10));
        assertTrue(matches(tcp("ssl_version:sslv3,tls1.0;"), tls10));
        assertTrue(matches(tcp("ssl_version:!tls1.2;"), tls10));
        assertFalse(matches(tcp("ssl_version:!tls1.0;"), tls10));
        assertTrue(matches(tcp("ssl_version:sslv2;"), in -> in.tls(SslState.CLIENT_HELLO, 0x0002, 0)));
        assertFalse(matches(tcp("ssl_version:!tls1.2;"), in -> in.tls(SslState.CLIENT_HELLO, 0x0000, 0)),
            "version not known");
    }

    @Test
    void tlsVersion()
    {
        assertTrue(matches(tcp("tls.version:1.2;"), in -> in.tls(SslState.SERVER_HELLO, 0x0303, 0x0303)));
        assertFalse(matches(tcp("tls.version:1.2;"), in -> in.tls(SslState.SERVER_HELLO, 0x0303, 0x0304)));
        assertTrue(matches(tcp("tls.version:0x7f1c;"), in -> in.tls(SslState.SERVER_HELLO, 0x0303, 0x7f1c)));
        assertFalse(matches(tcp("tls.version:1.0;"), in -> in.tls(SslState.CLIENT_HELLO, 0x0301, 0)),
            "no ServerHello yet");
    }

    @Test
    void vlanId()
    {
        final Consumer<MatchInput> two = in -> in.vlan(666).vlan(123);
        assertTrue(matches(ip("vlan.id:123;"), two));
        assertFalse(matches(ip("vlan.id:124;"), two));
        assertTrue(matches(ip("vlan.id:666,0;"), two));
        assertFalse(matches(ip("vlan.id:666,1;"), two));
        assertTrue(matches(ip("vlan.id:666,-2;"), two));
        assertFalse(matches(ip("vlan.id:666,-3;"), two), "no third layer from the inside");
        assertFalse(matches(ip("vlan.id:666,2;"), two), "no third layer");
        assertTrue(matches(ip("vlan.id:>100,all;"), two));
        assertFalse(matches(ip("vlan.id:>200,all;"), two));
        assertTrue(matches(ip("vlan.id:>200,any;"), two));
        assertFalse(matches(ip("vlan.id:!5,all;"), in -> { }), "untagged");
    }

    /**
     * The suricata-verify case {@code detect-vlan-id}: its rules on its two packets. tshark reads the capture
     * as frame 1, ICMP echo request 1.1.1.1 -> 2.2.2.2 under tags 200, 300, 400 (outermost first), and frame
     * 2, the untagged reply. By hand from the documented semantics, frame 1 matches sids 1 to 10 (200 at layer
     * 0; a 300; 400 innermost; 0x12C = 300 at layer 1; layer 1 not 200; no tag is 500; 400 at layer 2 is in
     * 100-600; 300 at layer 1 below 400; a tag at least 0xC8; every tag above 100) and frame 2 none (an
     * untagged packet matches no vlan.id), which gives test.yaml's count of 1 for each. Sid 11 is sid 1 with
     * the {@code prefilter} hint, which changes only how Suricata finds candidates: it matches frame 1 too.
     */
    @Test
    void shouldMatchTheDetectVlanIdCase() throws IOException
    {
        final RuleSet set = new RuleSetLoader(Variables.anyDefaults(), null)
            .load(List.of(SharedData.resolve("ids-verify/detect-vlan-id/test.rules")));
        assertEquals(11, set.rules().size(), () -> "skipped: " + set.skipped());

        final Map<Long, Integer> alerts = new TreeMap<>();
        try (RuleMatcher matcher = RuleMatcher.compile(set.rules(), PrefilterEngine.JAVA,
            RuleMatcher.DEFAULT_PCRE_SUBJECT_LIMIT);
            RuleMatcher.Worker worker = matcher.newWorker())
        {
            assertEquals(11, matcher.enforced().size());
            final MatchInput frame1 = new MatchInput().vlan(200).vlan(300).vlan(400).ipv4(1, 64, 1).icmp(8, 0)
                .ipv4Addresses(0x01010101, 0x02020202);
            final MatchInput frame2 = new MatchInput().ipv4(1, 64, 1).icmp(0, 0)
                .ipv4Addresses(0x02020202, 0x01010101);
            final List<Long> first = new ArrayList<>();
            for (int i = 0, n = worker.match(frame1); i < n; i++)
            {
                first.add(worker.sid(i));
                alerts.merge(worker.sid(i), 1, Integer::sum);
            }
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L), first.stream().sorted().toList());
            assertEquals(0, worker.match(frame2));
        }
        for (long sid = 1; sid <= 11; sid++)
        {
            assertEquals(1, alerts.get(sid), "sid " + sid);
        }
    }
}
