package io.opensase.core.report;

import io.opensase.classifiers.conntrack.TcpTracker;
import io.opensase.core.engine.FirewallTotals;
import io.opensase.core.firewall.FirewallCounters;
import io.opensase.core.firewall.RuleConfig;
import io.opensase.core.firewall.RuleCounters;
import io.opensase.core.firewall.TenantConfig;

import java.util.Locale;

/**
 * The report's {@code firewall} object: outcomes, invalid packets by reason, and per tenant each rule's
 * hits. Schema in the README.
 */
public final class FirewallReport
{
    private FirewallReport()
    {
    }

    static void write(final JsonWriter json, final FirewallTotals totals)
    {
        final FirewallCounters c = totals.counters();
        outcomes(json.beginObject("firewall").field("generation", totals.policy().generation()), c)
            .beginArray("tenants");
        final RuleCounters hits = totals.rules();
        for (final TenantConfig tenant : totals.policy().config().tenants())
        {
            final int t = tenant.id();
            json.beginObject()
                .field("name", tenant.name())
                .field("connections_refused", c.connectionsRefused(t))
                .beginArray("rules");
            for (int r = 0; r < tenant.rules().size(); r++)
            {
                final RuleConfig rule = tenant.rules().get(r);
                hits(json.beginObject().field("name", rule.name()).field("action", rule.action().configName()), hits,
                    t, r).endObject();
            }
            json.endArray();
            hits(json.beginObject("default").field("action", tenant.defaultAction().configName()), hits, t, -1)
                .endObject()
                .endObject();
        }
        json.endArray().endObject();
    }

    private static JsonWriter hits(final JsonWriter json, final RuleCounters c, final int tenant, final int rule)
    {
        return json.field("packets", c.packets(tenant, rule))
            .field("bytes", c.bytes(tenant, rule))
            .field("last_hit_ns", c.lastHitNs(tenant, rule));
    }

    /** The firewall's outcome counts, as the run report and {@code GET /stats} show them. */
    public static JsonWriter outcomes(final JsonWriter json, final FirewallCounters c)
    {
        return json.field("allowed", c.outcome(FirewallCounters.ALLOWED))
            .field("denied", c.outcome(FirewallCounters.DENIED))
            .field("rejected", c.outcome(FirewallCounters.REJECTED))
            .field("answers_sent", c.outcome(FirewallCounters.GENERATED))
            .field("related", c.outcome(FirewallCounters.RELATED))
            .field("logged", c.outcome(FirewallCounters.LOGGED))
            .beginObject("invalid")
            .field("total", c.outcome(FirewallCounters.INVALID))
            .field("no_connection", c.invalidReason(TcpTracker.INVALID_NO_CONNECTION))
            .field("bad_flags", c.invalidReason(TcpTracker.INVALID_FLAGS))
            .field("out_of_window", c.invalidReason(TcpTracker.INVALID_WINDOW))
            .field("bad_state", c.invalidReason(TcpTracker.INVALID_STATE))
            .field("malformed", c.invalidReason(FirewallCounters.INVALID_MALFORMED))
            .endObject();
    }

    /** One line for the human summary, without a line end. */
    static String summary(final FirewallTotals totals)
    {
        final FirewallCounters c = totals.counters();
        return String.format(Locale.ROOT,
            "  firewall: allowed %d, denied %d, rejected %d (answers sent %d), invalid %d, related %d, logged %d",
            c.outcome(FirewallCounters.ALLOWED), c.outcome(FirewallCounters.DENIED),
            c.outcome(FirewallCounters.REJECTED), c.outcome(FirewallCounters.GENERATED),
            c.outcome(FirewallCounters.INVALID), c.outcome(FirewallCounters.RELATED),
            c.outcome(FirewallCounters.LOGGED));
    }
}
