package io.opensase.core.ips.verify;

import java.util.List;

/**
 * A case scored against an EVE file: it passes when every check holds and nothing in the case or the file
 * stopped it from being judged.
 *
 * @param verifyCase the case
 * @param results    one per check, in test.yaml order
 * @param problems   what fails the case beyond its checks: unsupported parts of the case, EVE lines that are
 *                   not JSON, a missing EVE file
 * @param events     the number of EVE lines read as events
 */
public record CaseResult(VerifyCase verifyCase, List<FilterResult> results, List<String> problems, int events)
{
    public CaseResult
    {
        results = List.copyOf(results);
        problems = List.copyOf(problems);
    }

    public boolean passed()
    {
        return problems.isEmpty() && results.stream().allMatch(FilterResult::passed);
    }

    public long checksPassed()
    {
        return results.stream().filter(FilterResult::passed).count();
    }

    /** A readable report: a summary line, then each problem and each check on its own indented line. */
    public String report()
    {
        final StringBuilder out = new StringBuilder()
            .append(passed() ? "PASS " : "FAIL ").append(verifyCase.name()).append(": ")
            .append(checksPassed()).append(" of ").append(results.size()).append(" checks hold (")
            .append(events).append(events == 1 ? " event)" : " events)").append('\n');
        for (final String problem : problems)
        {
            out.append("  problem: ").append(problem).append('\n');
        }
        for (final FilterResult result : results)
        {
            out.append("  ").append(result.line()).append('\n');
        }
        return out.toString();
    }
}
