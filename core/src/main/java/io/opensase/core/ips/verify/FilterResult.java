package io.opensase.core.ips.verify;

/**
 * How one check fared against an EVE file.
 *
 * @param filter      the check
 * @param expected    the count test.yaml requires (-1 for a check that is not a filter)
 * @param actual      the number of events that satisfied every field test (-1 when not evaluated)
 * @param explanation how many events passed each field test in turn, and what the first short one saw instead
 * @param error       why the check could not be judged (unsupported, or a field test suricata-verify's runner
 *                    cannot evaluate on some event); null when it was judged
 */
public record FilterResult(Filter filter, int expected, int actual, String explanation, String error)
{
    public boolean passed()
    {
        return null == error && filter.supported() && expected == actual;
    }

    /** One report line: {@code #2 test.yaml:12 FAIL expected 1, got 0: event_type == "alert" (...)}. */
    public String line()
    {
        final StringBuilder out = new StringBuilder()
            .append('#').append(filter.number()).append(' ').append(VerifyCase.TEST_YAML).append(':')
            .append(filter.line()).append(' ').append(passed() ? "ok  " : "FAIL");
        if (!filter.supported())
        {
            return out.append(' ').append(String.join("; ", filter.unsupported())).toString();
        }
        out.append(" expected ").append(expected).append(", got ").append(actual);
        if (null != filter.comment())
        {
            out.append(" [").append(filter.comment()).append(']');
        }
        out.append(": ").append(explanation);
        if (null != error)
        {
            out.append("; cannot evaluate: ").append(error);
        }
        return out.toString();
    }
}
