package io.opensase.core.ips.verify;

import org.snakeyaml.engine.v2.nodes.Node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One check of a test.yaml. A {@code filter} check holds when exactly {@code count} EVE events satisfy every
 * entry of {@code match}. Any other kind of check ({@code shell}, {@code stats}, {@code file-compare}), and a
 * filter using a key this scorer does not judge, is kept with the reasons in {@code unsupported} and fails.
 *
 * @param number      the check's position in {@code checks}, from 1 (suricata-verify's "sub test" number)
 * @param line        its line in test.yaml
 * @param kind        {@code filter}, or the other check kind named
 * @param count       the number of matching events required; -1 for a check that is not a filter
 * @param match       the field tests, in the order written (suricata-verify stops at the first that fails)
 * @param comment     the check's {@code comment}, or null
 * @param unsupported why the check cannot be judged here; empty when it can
 */
public record Filter(int number, int line, String kind, int count, List<FieldMatch> match, String comment,
    List<String> unsupported)
{
    static final String FILTER = "filter";

    public Filter
    {
        match = List.copyOf(match);
        unsupported = List.copyOf(unsupported);
    }

    public boolean supported()
    {
        return unsupported.isEmpty();
    }

    /** The field tests joined, {@code event_type == "alert", alert.signature_id == 1}. */
    public String describe()
    {
        return match.stream().map(FieldMatch::toString).collect(Collectors.joining(", "));
    }

    static Filter notAFilter(final int number, final int line, final String kind)
    {
        final String reason = switch (kind)
        {
            case "shell" -> "a shell check runs a command over Suricata's output files";
            case "stats" -> "a stats check reads Suricata's own stats counters";
            case "file-compare" -> "a file-compare check compares an output file byte for byte";
            default -> "'" + kind + "' is not a check kind suricata-verify knows";
        };
        return new Filter(number, line, kind, -1, List.of(), null, List.of("unsupported check: " + reason));
    }

    static Filter read(final CaseYaml yaml, final int number, final CaseYaml.Entry entry) throws VerifyFormatException
    {
        final Map<String, CaseYaml.Entry> fields = yaml.mapping(entry.value(), "a filter");
        final List<String> unsupported = new ArrayList<>();
        final List<FieldMatch> match = new ArrayList<>();
        Integer count = null;
        String comment = null;
        boolean hasMatch = false;
        for (final CaseYaml.Entry field : fields.values())
        {
            switch (field.key())
            {
                case "count" -> count = count(yaml, field.value());
                case "match" ->
                {
                    hasMatch = true;
                    readMatch(yaml, field.value(), match, unsupported);
                }
                case "comment" -> comment = PyValues.str(yaml.value(field.value()));
                case "filename" -> unsupported.add("unsupported check: 'filename' reads an output file other than "
                    + "the EVE log (test.yaml:" + field.line() + ")");
                case "min-version", "lt-version", "version", "requires", "feature" -> unsupported.add(
                    "unsupported check: '" + field.key() + "' makes the check depend on the Suricata version or "
                        + "build (test.yaml:" + field.line() + ")");
                default -> unsupported.add("unsupported check: '" + field.key() + "' is not a filter key this "
                    + "scorer knows (test.yaml:" + field.line() + ")");
            }
        }
        final int line = entry.line();
        if (null == count)
        {
            throw new VerifyFormatException(yaml.file(), line, "check #" + number + ": a filter needs a count");
        }
        if (!hasMatch)
        {
            throw new VerifyFormatException(yaml.file(), line, "check #" + number + ": a filter needs a match");
        }
        return new Filter(number, line, FILTER, count, match, comment, unsupported);
    }

    private static int count(final CaseYaml yaml, final Node node) throws VerifyFormatException
    {
        // A YAML true would pass in Python (True == 1): refused as the mistake it is.
        if (yaml.value(node) instanceof Long value && value >= 0 && value <= Integer.MAX_VALUE)
        {
            return value.intValue();
        }
        throw yaml.error(node, "count must be a whole number of events");
    }

    private static void readMatch(final CaseYaml yaml, final Node node, final List<FieldMatch> match,
        final List<String> unsupported) throws VerifyFormatException
    {
        for (final CaseYaml.Entry entry : yaml.mapping(node, "match").values())
        {
            final boolean hasKey = "has-key".equals(entry.key());
            if (hasKey || "not-has-key".equals(entry.key()))
            {
                final String field = yaml.text(entry.value(), "the field of " + entry.key());
                final FieldPath path;
                try
                {
                    path = FieldPath.parse(field);
                }
                catch (final IllegalArgumentException ex)
                {
                    unsupported.add("unsupported check: " + ex.getMessage() + " (test.yaml:" + entry.line() + ")");
                    continue;
                }
                if (path.test() != FieldPath.Test.EQUALS)
                {
                    unsupported.add("unsupported check: " + entry.key() + " of '" + field + "' names an operator, "
                        + "not a field (test.yaml:" + entry.line() + ")");
                    continue;
                }
                match.add(new FieldMatch(entry.key(), entry.line(),
                    hasKey ? FieldMatch.Presence.PRESENT : FieldMatch.Presence.ABSENT, path, field));
                continue;
            }
            try
            {
                match.add(new FieldMatch(entry.key(), entry.line(), FieldMatch.Presence.ANY,
                    FieldPath.parse(entry.key()), yaml.value(entry.value())));
            }
            catch (final IllegalArgumentException ex)
            {
                unsupported.add("unsupported check: " + ex.getMessage() + " (test.yaml:" + entry.line() + ")");
            }
        }
    }
}
