package io.opensase.ips.match;

import io.opensase.ips.rules.Buffer;
import io.opensase.ips.rules.Rule;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static io.opensase.ips.match.MatchTesting.segment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which prefilter engine runs, and that the one reported is the one running. The test machines have
 * Debian's libhyperscan5 (a test dependency), so Hyperscan must be what {@code AUTO} picks here.
 */
class EngineSelectionTest
{
    private static final List<Literal> LITERALS = List.of(
        new Literal(0, "attack".getBytes(StandardCharsets.ISO_8859_1), true),
        new Literal(1, "|00 01|".getBytes(StandardCharsets.ISO_8859_1), false));

    private static HyperscanLibrary missing()
    {
        return HyperscanLibrary.load("libhs-not-installed.so.5");
    }

    @Test
    void shouldLoadTheInstalledHyperscanAndReportItsVersion()
    {
        final HyperscanLibrary library = HyperscanLibrary.system();
        System.out.println("hs_version(): " + library.version() + " from " + library.name());
        assertTrue(library.version().matches("\\d+\\.\\d+\\.\\d+ .*"), library.version());
        assertTrue(library.version().startsWith("5."), "Debian 12 ships Hyperscan 5: " + library.version());
        assertSame(library, HyperscanLibrary.system());
    }

    @Test
    void shouldPickHyperscanAutomaticallyAndReallyScanWithIt()
    {
        try (Prefilter prefilter = Prefilters.compile(List.of(LITERALS), PrefilterEngine.AUTO, false);
            PrefilterScanner scanner = prefilter.newScanner())
        {
            assertEquals(PrefilterEngine.HYPERSCAN, prefilter.engine());
            assertTrue(prefilter instanceof HyperscanPrefilter, prefilter.getClass().getName());
            assertTrue(prefilter.description().startsWith("hyperscan " + HyperscanLibrary.system().version()),
                prefilter.description());
            assertEquals(0, scanner.scans());
            for (int i = 1; i <= 5; i++)
            {
                final Set<Long> found = MatchTesting.scan(scanner, 0, segment("an ATTACK |00 01| here"));
                assertEquals(Set.of(MatchTesting.pair(0, 9), MatchTesting.pair(1, 17)), found);
                assertEquals(i, scanner.scans(), "hs_scan calls");
            }
            // Empty data never reaches hs_scan.
            MatchTesting.scan(scanner, 0, segment(""));
            assertEquals(5, scanner.scans());
        }
    }

    @Test
    void shouldRunTheJavaEngineWhenAskedAndSaySo()
    {
        try (Prefilter prefilter = Prefilters.compile(List.of(LITERALS), PrefilterEngine.JAVA, false);
            PrefilterScanner scanner = prefilter.newScanner())
        {
            assertEquals(PrefilterEngine.JAVA, prefilter.engine());
            assertTrue(prefilter instanceof JavaPrefilter);
            assertTrue(prefilter.description().startsWith("java "), prefilter.description());
            assertEquals(Set.of(MatchTesting.pair(0, 9)), MatchTesting.scan(scanner, 0, segment("an ATTACK")));
            assertEquals(1, scanner.scans());
        }
    }

    @Test
    void shouldFailWhenHyperscanIsAskedForAndCannotLoad()
    {
        final HyperscanLibrary.Unavailable error = assertThrows(HyperscanLibrary.Unavailable.class,
            () -> Prefilters.compile(List.of(LITERALS), PrefilterEngine.HYPERSCAN, false,
                EngineSelectionTest::missing));
        assertTrue(error.getMessage().contains("libhs-not-installed.so.5"), error.getMessage());
        final List<Rule> rules = MatchTesting.rules("alert tcp any any -> any any (content:\"attack\"; sid:1;)");
        assertThrows(HyperscanLibrary.Unavailable.class,
            () -> RuleMatcher.compile(rules, PrefilterEngine.HYPERSCAN, 1024, EngineSelectionTest::missing));
    }

    @Test
    void shouldFallBackVisiblyOnlyWhenLeftToChoose()
    {
        try (Prefilter prefilter = Prefilters.compile(List.of(LITERALS), PrefilterEngine.AUTO, false,
            EngineSelectionTest::missing))
        {
            assertEquals(PrefilterEngine.JAVA, prefilter.engine());
            assertTrue(prefilter.description().contains("hyperscan not used: cannot load libhs-not-installed.so.5"),
                prefilter.description());
        }
    }

    @Test
    void shouldReportTheEngineOfTheRuleMatcherAtStart()
    {
        final List<Rule> rules = MatchTesting.rules(
            "alert tcp any any -> any any (content:\"attack\"; sid:1;)",
            "alert tcp any any -> any any (content:\"x\"; tag:host; sid:2;)");
        try (RuleMatcher hyperscan = RuleMatcher.compile(rules, PrefilterEngine.HYPERSCAN, 1024);
            RuleMatcher java = RuleMatcher.compile(rules, PrefilterEngine.JAVA, 1024);
            RuleMatcher.Worker worker = hyperscan.newWorker())
        {
            assertEquals(PrefilterEngine.HYPERSCAN, hyperscan.engine());
            assertEquals(PrefilterEngine.JAVA, java.engine());
            final String line = hyperscan.startLine();
            System.out.println(line);
            final String version = HyperscanLibrary.system().version();
            assertTrue(line.startsWith("ips matcher: prefilter hyperscan " + version), line);
            assertTrue(line.contains("2 of 2 loaded rules enforced"), line);
            assertTrue(line.contains("0 not yet;"), line);
            assertTrue(java.startLine().startsWith("ips matcher: prefilter java "), java.startLine());

            final MatchInput input = new MatchInput().set(Buffer.PAYLOAD, segment("an attack"));
            assertEquals(1, worker.match(input));
            assertEquals(1, worker.sid(0));
            assertEquals(1, worker.prefilterScans());
        }
    }

    @Test
    void shouldReadTheEngineFromItsName()
    {
        assertEquals(PrefilterEngine.JAVA, PrefilterEngine.parse(" Java "));
        assertEquals(PrefilterEngine.HYPERSCAN, PrefilterEngine.parse("hyperscan"));
        assertEquals(PrefilterEngine.AUTO, PrefilterEngine.parse("auto"));
        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> PrefilterEngine.parse("pcre"));
        assertEquals("prefilter engine 'pcre' is not one of auto, hyperscan, java", error.getMessage());
    }
}
