package io.opensase.core.ips.verify;

import io.opensase.classifiers.testing.SharedData;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VerifySuiteTest
{
    private static final Path ROOT = SharedData.resolve("ids-verify");

    @Test
    void shouldDiscoverAndLoadEveryCaseOfTheSharedSuite() throws IOException
    {
        final List<VerifyCase> cases = VerifySuite.discover(ROOT);

        for (final VerifyCase verifyCase : cases)
        {
            System.out.printf("%-45s %2d filters, rules %s, pcap %s, requires %s %s%n", verifyCase.name(),
                verifyCase.filters().size(), verifyCase.ruleFiles().stream().map(Path::getFileName).toList(),
                verifyCase.pcaps().stream().map(Path::getFileName).toList(), verifyCase.requires().minVersion(),
                verifyCase.requires().features());
            assertEquals(List.of(), verifyCase.unsupported(), verifyCase.name());
            assertEquals(1, verifyCase.pcaps().size(), verifyCase.name());
            assertEquals(1, verifyCase.ruleFiles().size(), verifyCase.name());
            assertFalse(verifyCase.filters().isEmpty(), verifyCase.name());
            assertTrue(verifyCase.filters().stream().allMatch(Filter::supported), verifyCase.name());
        }
        assertEquals(25, cases.size());
        assertEquals(List.of("alert-testmyids-midstream", "bug-5633-gre-02", "datasets-04-http-dns",
            "decode-erspan-typeII-01", "defrag/bug-6887-defrag-eth-vlan-ipv6-tcp",
            "defrag/bug-6887-defrag-ipv4-tcp-syn",
            "detect-vlan-id", "eve-overlap-payload-01", "exception-policy-defrag-01", "http-chunked",
            "http-evader/http-evader-000", "http-evader/http-evader-001", "http-evader/http-evader-002",
            "http-evader/http-evader-003", "http-evader/http-evader-004", "http-evader/http-evader-005",
            "http-evader/http-evader-006", "http-evader/http-evader-007", "http-evader/http-evader-008",
            "http-evader/http-evader-009", "ipv6-hdr-keyword-01", "quic-ietf", "tls-alpn-log-detect-02",
            "tls/tls-random", "vxlan-decoder-02"), cases.stream().map(VerifyCase::name).toList());
        // Filters per case, counted by hand from each test.yaml.
        assertEquals(List.of(2, 2, 3, 3, 1, 1, 11, 4, 7, 23, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 1, 1, 3, 6, 3),
            cases.stream().map(c -> c.filters().size()).toList());
    }

    @Test
    void shouldTakeTheOnlyRuleFileAndCaptureWhateverTheyAreNamed() throws IOException
    {
        final VerifyCase overlap = VerifyCase.load(ROOT.resolve("eve-overlap-payload-01"));

        assertEquals("eve-overlap-payload-01", overlap.name());
        assertEquals(List.of(ROOT.resolve("eve-overlap-payload-01/tcp-overlap.rules")), overlap.ruleFiles());
        assertEquals(List.of(ROOT.resolve("eve-overlap-payload-01/tcp-overlap.pcap")), overlap.pcaps());
        assertEquals(ROOT.resolve("eve-overlap-payload-01/suricata.yaml"), overlap.suricataYaml());
        assertEquals("7.0.7", overlap.requires().minVersion());
        assertTrue(overlap.checksumsOff());
        assertEquals(Map.of(), overlap.settings());
    }

    @Test
    void shouldSplitArgumentsIntoSettingsChecksumModeAndTheRest() throws IOException
    {
        final VerifyCase evader = VerifyCase.load(ROOT.resolve("http-evader/http-evader-000"));
        assertEquals(List.of("-k", "none", "--set",
            "app-layer.protocols.http.libhtp.default-config.response-body-decompress-layer-limit=3"), evader.args());
        assertEquals(Map.of("app-layer.protocols.http.libhtp.default-config.response-body-decompress-layer-limit", "3"),
            evader.settings());
        assertTrue(evader.checksumsOff());
        assertEquals(List.of(), evader.otherArgs());
        assertNull(evader.suricataYaml());
        assertEquals(Requires.NONE, evader.requires());

        final VerifyCase midstream = VerifyCase.load(ROOT.resolve("alert-testmyids-midstream"));
        assertEquals(Map.of("stream.midstream", "true"), midstream.settings());
        assertFalse(midstream.checksumsOff());
        assertFalse(midstream.simulatesIps());
    }

    @Test
    void shouldKeepTheTestOnlyFeatureAndIpsModeOfTheDefragPolicyCase() throws IOException
    {
        final VerifyCase policy = VerifyCase.load(ROOT.resolve("exception-policy-defrag-01"));

        assertEquals("7.0.16", policy.requires().minVersion());
        assertEquals(List.of("QA_SIMULATION"), policy.requires().features());
        assertEquals(List.of("requires feature QA_SIMULATION"), policy.unmetRequirements(Set.of()));
        assertEquals(List.of(), policy.unmetRequirements(Set.of("QA_SIMULATION")));
        assertTrue(policy.simulatesIps());
        assertTrue(policy.checksumsOff());
        assertEquals(Map.of("defrag.memcap-policy", "drop-flow"), policy.settings());
        assertEquals(List.of("--simulate-ips", "--simulate-packet-defrag-memcap=1"), policy.otherArgs());
        assertEquals(ROOT.resolve("exception-policy-defrag-01/ipv4frags.pcap"), policy.pcaps().getFirst());
    }

    @Test
    void shouldReadVersionsAsSuricataVerifyDoesWhetherWrittenAsNumberOrText() throws IOException
    {
        // min-version: 8 is a YAML integer, 8.0.0 a string, 6 an integer; all become their text.
        assertEquals("8", VerifyCase.load(ROOT.resolve("detect-vlan-id")).requires().minVersion());
        assertEquals("8.0.0", VerifyCase.load(ROOT.resolve("tls-alpn-log-detect-02")).requires().minVersion());
        assertEquals("6", VerifyCase.load(ROOT.resolve("decode-erspan-typeII-01")).requires().minVersion());
    }
}
