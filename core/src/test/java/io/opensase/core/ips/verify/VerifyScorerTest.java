package io.opensase.core.ips.verify;

import io.opensase.classifiers.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real cases of the shared suite scored against EVE lines written by hand to satisfy, then break, each filter. */
class VerifyScorerTest
{
    private static final Path ROOT = SharedData.resolve("ids-verify");

    @TempDir
    Path dir;

    private Path eve(final String... lines) throws IOException
    {
        return Files.write(dir.resolve("eve-" + System.nanoTime() + ".json"), List.of(lines));
    }

    private static void assertCounts(final CaseResult result, final int[][] expectedActual)
    {
        assertEquals(expectedActual.length, result.results().size(), result.report());
        for (int i = 0; i < expectedActual.length; i++)
        {
            final FilterResult filter = result.results().get(i);
            assertEquals(expectedActual[i][0], filter.expected(), result.report());
            assertEquals(expectedActual[i][1], filter.actual(), result.report());
            assertEquals(expectedActual[i][0] == expectedActual[i][1], filter.passed(), result.report());
        }
    }

    @Test
    void shouldPassHttpEvaderWhenBothAlertsAndTheFileAreLogged() throws IOException
    {
        final VerifyCase evader = VerifyCase.load(ROOT.resolve("http-evader/http-evader-000"));
        final CaseResult result = VerifyScorer.score(evader, eve(
            "{\"event_type\":\"flow\",\"proto\":\"TCP\",\"dest_port\":80}",
            "{\"event_type\":\"alert\",\"alert\":{\"signature_id\":1,\"rev\":1}}",
            "{\"event_type\":\"alert\",\"alert\":{\"signature_id\":2,\"rev\":1}}",
            "{\"event_type\":\"alert\",\"alert\":{\"signature_id\":3,\"rev\":1}}",
            "{\"event_type\":\"fileinfo\",\"fileinfo\":{\"filename\":\"eicar.txt\",\"size\":68},"
                + "\"http\":{\"http_method\":\"GET\",\"hostname\":\"evader.example.com\",\"url\":\"/x\"}}"));

        assertTrue(result.passed(), result.report());
        assertCounts(result, new int[][] {{1, 1}, {1, 1}, {1, 1}});
        assertEquals(5, result.events());
        assertTrue(result.report().startsWith("PASS http-evader-000: 3 of 3 checks hold (5 events)"), result.report());
    }

    @Test
    void shouldFailHttpEvaderFilterByFilterWithTheCountsSeen() throws IOException
    {
        final VerifyCase evader = VerifyCase.load(ROOT.resolve("http-evader/http-evader-000"));
        final CaseResult result = VerifyScorer.score(evader, eve(
            "{\"event_type\":\"alert\",\"alert\":{\"signature_id\":1}}",
            "{\"event_type\":\"alert\",\"alert\":{\"signature_id\":1}}",
            "{\"event_type\":\"alert\",\"alert\":{\"signature_id\":\"2\"}}",
            "{\"event_type\":\"fileinfo\",\"fileinfo\":{\"filename\":\"eicar.txt\"},"
                + "\"http\":{\"http_method\":\"GET\",\"hostname\":\"other.example.com\"}}"));

        assertFalse(result.passed());
        // Two alerts for sid 1, sid 2 only as a string, the file logged for another host.
        assertCounts(result, new int[][] {{1, 2}, {1, 0}, {1, 0}});
        final String report = result.report();
        assertTrue(report.contains("alert.signature_id == 2 (0 of 3; seen: 1, \"2\")"), report);
        assertTrue(report.contains("http.hostname == \"evader.example.com\" (0 of 1; seen: \"other.example.com\")"),
            report);
        assertTrue(report.startsWith("FAIL http-evader-000: 0 of 3 checks hold (4 events)"), report);
    }

    @Test
    void shouldMatchNestedKeysVlanIndexesAndNumbersNotStringsInTheErspanFlow() throws IOException
    {
        final VerifyCase erspan = VerifyCase.load(ROOT.resolve("decode-erspan-typeII-01"));
        final String flow = "{\"event_type\":\"flow\",\"src_ip\":\"23.0.0.2\",\"dest_ip\":\"23.0.0.3\","
            + "\"proto\":\"ICMP\",\"icmp_type\":8,\"icmp_code\":0,\"response_icmp_type\":0,\"response_icmp_code\":0,"
            + "\"vlan\":[23],\"flow\":{\"pkts_toserver\":2,\"pkts_toclient\":2,\"bytes_toserver\":244,"
            + "\"bytes_toclient\":%s,\"age\":0,\"state\":\"established\",\"reason\":\"shutdown\",\"alerted\":true}}";
        final String request = "{\"event_type\":\"alert\",\"src_ip\":\"23.0.0.2\",\"dest_ip\":\"23.0.0.3\","
            + "\"proto\":\"ICMP\",\"icmp_type\":8,\"icmp_code\":0,\"vlan\":%s,\"alert\":{\"signature_id\":2}}";
        final String reply = "{\"event_type\":\"alert\",\"src_ip\":\"23.0.0.3\",\"dest_ip\":\"23.0.0.2\","
            + "\"proto\":\"ICMP\",\"icmp_type\":0,\"icmp_code\":0,\"vlan\":[23],\"alert\":{\"signature_id\":1}}";

        final CaseResult pass = VerifyScorer.score(erspan, eve(String.format(flow, "244"),
            String.format(request, "[23]"), String.format(request, "[23, 100]"), reply, reply));
        assertTrue(pass.passed(), pass.report());
        assertCounts(pass, new int[][] {{1, 1}, {2, 2}, {2, 2}});

        // The byte count as a string, one request on VLAN 24, one without VLAN at all.
        final CaseResult fail = VerifyScorer.score(erspan, eve(String.format(flow, "\"244\""),
            String.format(request, "[24]"), String.format(request, "[]"), reply, reply));
        assertCounts(fail, new int[][] {{1, 0}, {2, 0}, {2, 2}});
        final String report = fail.report();
        assertTrue(report.contains("flow.bytes_toclient == 244 (0 of 1; seen: \"244\")"), report);
        assertTrue(report.contains("vlan[0] == 23 (0 of 2; seen: 24; absent from 1)"), report);
    }

    @Test
    void shouldMatchListItemsInsideListItemsForQuicExtensions() throws IOException
    {
        final VerifyCase quic = VerifyCase.load(ROOT.resolve("quic-ietf"));
        final String event = "{\"event_type\":\"quic\",\"quic\":{\"version\":\"h3-29\",\"extensions\":["
            + "{\"name\":\"supported_versions\",\"type\":43},"
            + "{\"name\":\"server_name\",\"type\":0,\"values\":[\"%s\"]},"
            + "{\"name\":\"alpn\",\"type\":16,\"values\":[\"h3-29\",\"h3\"]}]}}";

        assertCounts(VerifyScorer.score(quic, eve(String.format(event, "msquic.net"))), new int[][] {{1, 1}});
        assertCounts(VerifyScorer.score(quic, eve(String.format(event, "quic.example"))), new int[][] {{1, 0}});
        // Two extensions only: extensions[2] is out of range and so absent.
        assertCounts(VerifyScorer.score(quic, eve("{\"event_type\":\"quic\",\"quic\":{\"extensions\":["
            + "{\"name\":\"alpn\"},{\"name\":\"server_name\",\"values\":[\"msquic.net\"]}]}}")), new int[][] {{1, 0}});
    }

    @Test
    void shouldMatchAlpnListsInOrderInTheTlsAlpnCase() throws IOException
    {
        final VerifyCase alpn = VerifyCase.load(ROOT.resolve("tls-alpn-log-detect-02"));
        final String tls = "\"tls\":{\"sni\":\"example.com\",\"client_alpns\":[%s],\"server_alpns\":[\"http/1.1\"]}";
        final String inOrder = String.format(tls, "\"h2\",\"http/1.1\"");

        final CaseResult pass = VerifyScorer.score(alpn, eve("{\"event_type\":\"tls\"," + inOrder + "}",
            "{\"event_type\":\"alert\",\"alert\":{\"signature_id\":1}," + inOrder + "}",
            "{\"event_type\":\"alert\",\"alert\":{\"signature_id\":2}," + inOrder + "}"));
        assertTrue(pass.passed(), pass.report());

        final String swapped = String.format(tls, "\"http/1.1\",\"h2\"");
        final CaseResult fail = VerifyScorer.score(alpn, eve("{\"event_type\":\"tls\"," + swapped + "}",
            "{\"event_type\":\"alert\",\"alert\":{\"signature_id\":1}," + inOrder + "}",
            "{\"event_type\":\"alert\",\"alert\":{\"signature_id\":2}}"));
        assertCounts(fail, new int[][] {{1, 0}, {1, 1}, {1, 0}});
        final String swappedTls = fail.results().get(0).explanation();
        assertTrue(swappedTls.endsWith("tls.client_alpns[0] == \"h2\" (0 of 1; seen: \"http/1.1\"), "
            + "tls.client_alpns[1] == \"http/1.1\" (0 of 0), tls.server_alpns[0] == \"http/1.1\" (0 of 0)"),
            swappedTls);
        final String alertWithoutTls = fail.results().get(2).explanation();
        assertTrue(alertWithoutTls.contains("tls.client_alpns[0] == \"h2\" (0 of 1; absent from all)"),
            alertWithoutTls);
    }

    @Test
    void shouldCompareQuotedVersionsAsStringsAndHoldCountZeroInTheGreCase() throws IOException
    {
        final VerifyCase gre = VerifyCase.load(ROOT.resolve("bug-5633-gre-02"));
        final String ssh = "{\"event_type\":\"ssh\",\"ssh\":{\"client\":{\"proto_version\":%s,"
            + "\"software_version\":\"OpenSSH_3.6.1p1\"},\"server\":{\"proto_version\":\"1.99\","
            + "\"software_version\":\"OpenSSH_3.1p1\"}}}";

        assertCounts(VerifyScorer.score(gre, eve(String.format(ssh, "\"2.0\""))), new int[][] {{0, 0}, {1, 1}});
        // test.yaml quotes "2.0": a JSON number 2.0 is not that string, and an alert breaks count 0.
        assertCounts(VerifyScorer.score(gre, eve(String.format(ssh, "2.0"),
            "{\"event_type\":\"alert\",\"alert\":{\"signature_id\":9}}")), new int[][] {{0, 1}, {1, 0}});
    }

    @Test
    void shouldFailAFilterOnAFieldTheEngineDoesNotEmit() throws IOException
    {
        final VerifyCase ipv6 = VerifyCase.load(ROOT.resolve("ipv6-hdr-keyword-01"));
        final CaseResult result = VerifyScorer.score(ipv6, eve(
            "{\"event_type\":\"alert\",\"src_ip\":\"2001:db8::1\",\"proto\":\"TCP\"}",
            "{\"event_type\":\"flow\",\"src_ip\":\"2001:db8::1\",\"proto\":\"TCP\"}"));

        assertFalse(result.passed());
        assertCounts(result, new int[][] {{1, 0}});
        final FilterResult filter = result.results().getFirst();
        assertNull(filter.error());
        assertEquals("event_type == \"alert\" (1 of 2 events), alert.signature_id == 1234 (0 of 1; absent from all)",
            filter.explanation());
        assertTrue(result.report().contains("#1 test.yaml:2 FAIL expected 1, got 0: "), result.report());
    }

    @Test
    void shouldFailEveryCheckWhenTheEveFileIsMissingAndNameIt() throws IOException
    {
        final VerifyCase vlan = VerifyCase.load(ROOT.resolve("detect-vlan-id"));
        final CaseResult result = VerifyScorer.score(vlan, dir.resolve("none.json"));

        assertFalse(result.passed());
        assertEquals(List.of(dir.resolve("none.json") + " does not exist"), result.problems());
        assertEquals(0, result.checksPassed());
    }
}
