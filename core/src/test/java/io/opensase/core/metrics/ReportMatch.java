package io.opensase.core.metrics;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Checks the stats file's counters against the run report's, name by name. */
final class ReportMatch
{
    private ReportMatch()
    {
    }

    /** Every counter the report and the file both hold is equal; returns how many were compared. */
    static int assertSameCounts(final JsonNode report, final StatsSnapshot file)
    {
        int compared = 0;
        compared += same(file, "port.packets_in", report.get("packets_in"));
        compared += same(file, "port.bytes_in", report.get("bytes_in"));
        compared += same(file, "port.packets_out", report.get("packets_out"));
        compared += same(file, "port.bytes_out", report.get("bytes_out"));
        compared += same(file, "port.generated", report.get("generated"));
        compared += same(file, "parse.snap_truncated", report.get("snap_truncated"));
        compared += group(file, "drops.", report.get("drops"));
        compared += group(file, "malformed.", report.get("malformed"));
        compared += group(file, "flows.", report.get("flows"));
        final JsonNode firewall = report.get("firewall");
        if (null != firewall)
        {
            compared += same(file, "policy.generation", firewall.get("generation"));
            for (final String outcome : new String[] {"allowed", "denied", "rejected", "answers_sent", "related",
                "logged"})
            {
                compared += same(file, "firewall." + outcome, firewall.get(outcome));
            }
            compared += same(file, "firewall.invalid", firewall.get("invalid").get("total"));
        }
        return compared;
    }

    private static int group(final StatsSnapshot file, final String prefix, final JsonNode counts)
    {
        int compared = 0;
        for (final Iterator<Map.Entry<String, JsonNode>> it = counts.fields(); it.hasNext();)
        {
            final Map.Entry<String, JsonNode> entry = it.next();
            compared += same(file, prefix + entry.getKey(), entry.getValue());
        }
        return compared;
    }

    private static int same(final StatsSnapshot file, final String name, final JsonNode expected)
    {
        assertEquals(expected.asLong(), file.value(name), name);
        return 1;
    }
}
