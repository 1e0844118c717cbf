package io.opensase.core.ips.verify;

import io.opensase.classifiers.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SuiteResultTest
{
    private static final Path ROOT = SharedData.resolve("ids-verify");

    @TempDir
    Path dir;

    @Test
    void shouldCountPassedFailedSkippedAndBrokenCasesAndShowOnlyFailuresInFull() throws IOException
    {
        final Path eve = Files.write(dir.resolve("eve.json"), List.of(
            "{\"event_type\":\"alert\",\"alert\":{\"signature_id\":1234}}"));
        final CaseResult pass = VerifyScorer.score(VerifyCase.load(ROOT.resolve("ipv6-hdr-keyword-01")), eve);
        final CaseResult fail = VerifyScorer.score(VerifyCase.load(ROOT.resolve("tls/tls-random"), "tls/tls-random"),
            eve);

        final SuiteResult suite = new SuiteResult(List.of(pass, fail),
            Map.of("exception-policy-defrag-01", "requires feature QA_SIMULATION"),
            Map.of("broken-01", "test.yaml:3: check #1: a filter needs a count"));

        assertEquals(1, suite.passed());
        assertEquals(2, suite.failed());
        assertFalse(suite.allPassed());
        final String report = suite.report();
        assertTrue(report.startsWith("PASS ipv6-hdr-keyword-01: 1 of 1 checks hold (1 event)\n"
            + "FAIL tls/tls-random: 0 of 6 checks hold (1 event)\n"
            + "  #1 test.yaml:8 FAIL expected 1, got 0: alert.signature_id == 1 (0 of 1 events; seen: 1234)"), report);
        assertTrue(report.endsWith("FAIL broken-01: test.yaml:3: check #1: a filter needs a count\n"
            + "SKIP exception-policy-defrag-01: requires feature QA_SIMULATION\n"
            + "PASSED:  1\nFAILED:  2\nSKIPPED: 1\n"), report);
        assertTrue(new SuiteResult(List.of(pass), Map.of("x", "y"), Map.of()).allPassed());
    }
}
