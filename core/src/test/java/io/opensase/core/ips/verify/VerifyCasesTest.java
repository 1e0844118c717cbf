package io.opensase.core.ips.verify;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every suricata-verify case in the shared data, run through the IPS and scored as suricata-verify scores it.
 * A case passes, or is listed here as not passing yet with the reason; a listed case that starts passing
 * fails the test, so that the list stays true.
 */
class VerifyCasesTest
{
    private static final Path DATA = Path.of(System.getProperty("opensase.data", "../shared/data"));
    private static final Path CASES = DATA.resolve("ids-verify");
    private static final Path CLASSIFICATION = DATA.resolve("ids-rules/et-open/classification.config");

    /** Skipped by requirement, as suricata-verify skips it: it needs Suricata's QA simulation options. */
    private static final String SKIPPED = "exception-policy-defrag-01";

    /**
     * Not passing, each for the reason in the README (IPS, "suricata-verify cases"), both let go by the issue:
     * ERSPAN type II is not decoded; QUIC is not parsed.
     */
    private static final Set<String> NOT_YET = Set.of(
        "decode-erspan-typeII-01",
        "quic-ietf");

    @TempDir
    Path eveDir;

    @TestFactory
    List<DynamicTest> everyCase() throws IOException
    {
        final List<DynamicTest> tests = new ArrayList<>();
        for (final VerifyCase c : VerifySuite.discover(CASES))
        {
            tests.add(DynamicTest.dynamicTest(c.name(), () ->
            {
                final CaseResult result = VerifyRun.run(c, eveDir.resolve(c.name().replace('/', '_') + ".json"),
                    CLASSIFICATION);
                if (SKIPPED.equals(c.name()))
                {
                    assertNull(result, "skipped for its requirements: " + c.unmetRequirements(VerifyRun.FEATURES));
                }
                else if (NOT_YET.contains(c.name()))
                {
                    assertFalse(result.passed(), c.name() + " passes now: take it off the not-yet list");
                }
                else
                {
                    assertTrue(result.passed(), result.report());
                }
            }));
        }
        return tests;
    }
}
