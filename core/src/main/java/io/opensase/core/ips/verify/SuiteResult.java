package io.opensase.core.ips.verify;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A suite run counted as suricata-verify's runner counts it: a scored case passes or fails, a case whose
 * requirements the engine does not meet is skipped, and a case that cannot be loaded fails.
 *
 * @param scored  the cases run and scored, in suite order
 * @param skipped case name to the reason it was not run
 * @param broken  case name to the reason it could not be loaded
 */
public record SuiteResult(List<CaseResult> scored, Map<String, String> skipped, Map<String, String> broken)
{
    public SuiteResult
    {
        scored = List.copyOf(scored);
        skipped = Collections.unmodifiableMap(new LinkedHashMap<>(skipped));
        broken = Collections.unmodifiableMap(new LinkedHashMap<>(broken));
    }

    public long passed()
    {
        return scored.stream().filter(CaseResult::passed).count();
    }

    public long failed()
    {
        return scored.size() - passed() + broken.size();
    }

    /** True when nothing failed (skipped cases do not fail a run, as in suricata-verify). */
    public boolean allPassed()
    {
        return 0 == failed();
    }

    /**
     * One line per passing case, the full report of each failing one, the skipped and broken cases with their
     * reasons, then the totals: {@code PASSED: n}, {@code FAILED: n}, {@code SKIPPED: n}.
     */
    public String report()
    {
        final StringBuilder out = new StringBuilder();
        for (final CaseResult result : scored)
        {
            final String report = result.report();
            out.append(result.passed() ? report.substring(0, report.indexOf('\n') + 1) : report);
        }
        broken.forEach((name, reason) -> out.append("FAIL ").append(name).append(": ").append(reason).append('\n'));
        skipped.forEach((name, reason) -> out.append("SKIP ").append(name).append(": ").append(reason).append('\n'));
        return out.append("PASSED:  ").append(passed()).append('\n')
            .append("FAILED:  ").append(failed()).append('\n')
            .append("SKIPPED: ").append(skipped.size()).append('\n').toString();
    }
}
