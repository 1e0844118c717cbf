package io.opensase.ips.rules;

import io.opensase.classifiers.testing.SharedData;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Loads the shared ET Open rule files with Suricata's default variables and checks the load report against
 * counts made independently of the parser (by listing the active rules' header protocols and option names
 * with a short script, and reading the one pcre by eye).
 */
class EtOpenLoadTest
{
    /**
     * Every reason a shared ET Open rule is skipped for, with its count. A rule is counted under its first
     * unsupported item (header, then keywords in rule order, then pcre).
     */
    private static final Map<String, Integer> EXPECTED_SKIPS = new LinkedHashMap<>();

    static
    {
        EXPECTED_SKIPS.put("unsupported protocol: smtp", 65);
        EXPECTED_SKIPS.put("unsupported protocol: ftp", 42);
        EXPECTED_SKIPS.put("unsupported protocol: smb", 33);
        EXPECTED_SKIPS.put("unknown keyword: dotprefix", 17);
        EXPECTED_SKIPS.put("unknown keyword: http.start", 6);
        EXPECTED_SKIPS.put("unknown keyword: app-layer-event", 3);
        EXPECTED_SKIPS.put("unknown keyword: http.connection", 3);
        EXPECTED_SKIPS.put("unknown keyword: http.protocol", 3);
        EXPECTED_SKIPS.put("unsupported protocol: ssh", 3);
        EXPECTED_SKIPS.put("unknown keyword: tls.certs", 2);
        EXPECTED_SKIPS.put("unknown keyword: ftpbounce", 1);
        EXPECTED_SKIPS.put("unknown keyword: ja3.string", 1);
        EXPECTED_SKIPS.put("unsupported pcre feature: {,n} and spaced quantifiers", 1);
    }

    /** Lines of the 14 files that start (after blanks) with alert, drop, reject or pass. */
    private static final int ACTIVE_RULES = 4572;

    @Test
    void shouldLoadNinetyFivePercentOfEtOpenUnchanged() throws IOException
    {
        final long start = System.nanoTime();
        final RuleSet set = RuleSetLoader.load(SharedData.resolve("ids-rules/et-open"), Variables.suricataDefaults());
        final long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        System.out.print(set.report());
        System.out.println("load time " + elapsedMs + " ms");

        final Map<String, Integer> skips = new LinkedHashMap<>();
        set.skippedByReason().forEach((reason, rules) -> skips.put(reason, rules.size()));
        assertEquals(EXPECTED_SKIPS, skips);
        assertEquals(ACTIVE_RULES, set.total());
        final int expectedSkipped = EXPECTED_SKIPS.values().stream().mapToInt(Integer::intValue).sum();
        assertEquals(ACTIVE_RULES - expectedSkipped, set.rules().size());
        assertTrue(set.loadedPercent() >= 94.9, "loaded " + set.loadedPercent() + "%");
    }
}
