package io.opensase.ips.rules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a load produced: the rules loaded, in file order, and the rules skipped, each with its reason.
 * Every active rule of the input is in exactly one of the two lists.
 */
public record RuleSet(List<Rule> rules, List<SkippedRule> skipped)
{
    public RuleSet
    {
        rules = List.copyOf(rules);
        skipped = List.copyOf(skipped);
    }

    /** Active rules read: loaded plus skipped. */
    public int total()
    {
        return rules.size() + skipped.size();
    }

    /** Loaded rules as a percentage of the active rules (100 for an empty input). */
    public double loadedPercent()
    {
        return 0 == total() ? 100.0 : 100.0 * rules.size() / total();
    }

    /** The skipped rules grouped by {@link SkipReason#group()}, largest group first (ties by name). */
    public Map<String, List<SkippedRule>> skippedByReason()
    {
        final Map<String, List<SkippedRule>> groups = new LinkedHashMap<>();
        for (final SkippedRule s : skipped)
        {
            groups.computeIfAbsent(s.reason().group(), k -> new ArrayList<>()).add(s);
        }
        final List<Map.Entry<String, List<SkippedRule>>> entries = new ArrayList<>(groups.entrySet());
        entries.sort(Comparator.comparing((Map.Entry<String, List<SkippedRule>> e) -> -e.getValue().size())
            .thenComparing(Map.Entry::getKey));
        final Map<String, List<SkippedRule>> sorted = new LinkedHashMap<>();
        entries.forEach(e -> sorted.put(e.getKey(), List.copyOf(e.getValue())));
        return sorted;
    }

    /** Characters of a reason's key or detail the report prints. */
    static final int REPORT_TEXT = 200;

    /**
     * The load report: one line with the totals, then one line per skip reason with its count and the first
     * rule it skipped, with the bytes of the rule text that are not printable escaped ({@code \x1b}), e.g.
     * <pre>
     * loaded 4321 of 4572 rules (94.5%), skipped 251
     *    65  unsupported protocol: smtp  (first: emerging-smtp.rules:12)
     * </pre>
     */
    public String report()
    {
        final StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "loaded %d of %d rules (%.1f%%), skipped %d%n",
            rules.size(), total(), loadedPercent(), skipped.size()));
        for (final Map.Entry<String, List<SkippedRule>> e : skippedByReason().entrySet())
        {
            final SkippedRule first = e.getValue().get(0);
            sb.append(String.format(Locale.ROOT, "%6d  %s  (first: %s: %s)%n",
                e.getValue().size(), Printable.escape(shortened(e.getKey())),
                Printable.escape(first.origin().toString()), Printable.escape(shortened(first.reason().detail()))));
        }
        return sb.toString();
    }

    /**
     * Text of a rule echoed in the report, cut past {@value #REPORT_TEXT} characters (found by a tester: a
     * variable name of 100,000 characters made one line of the report 200,000 long).
     */
    private static String shortened(final String text)
    {
        return text.length() <= REPORT_TEXT ? text
            : text.substring(0, REPORT_TEXT) + "... (" + text.length() + " characters)";
    }
}
