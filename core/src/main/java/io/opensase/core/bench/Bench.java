package io.opensase.core.bench;

import io.opensase.core.firewall.FirewallCounters;
import io.opensase.core.ips.IpsCounters;
import io.opensase.core.report.JsonWriter;

import java.io.IOException;
import java.util.Locale;

/**
 * {@code opensase bench}: the engine and {@code dpdk-testpmd} on the same devices and capture, one after the
 * other in one invocation, so that their rates are compared on the same machine at the same time. With a
 * firewall, the engine also runs without it first (and, in flow mode, with only the address rewrite), so that
 * the firewall's cost and the rewrite's are read from one invocation.
 */
public final class Bench
{
    private Bench()
    {
    }

    /**
     * Both rates, and what the engine's worker did during its measured interval; the firewall's counts cover
     * the whole run, and are null without a firewall.
     */
    public record Result(BenchSettings settings, double engineMpps, double testpmdMpps, long gcCollections,
        long allocatedBytes, long flowsResident, double newFlowShare, FirewallCounters firewall,
        double withoutFirewallMpps, double rewriteOnlyMpps, IpsCounters ips, String ipsLoadReport,
        double withoutIpsMpps)
    {
        public double ratio()
        {
            return engineMpps / testpmdMpps;
        }

        /** The engine's rate in Gbps of the capture's frames (as captured; no preamble or gap). */
        public double engineGbps()
        {
            return engineMpps * 8e-3 * settings.captureBytes() / settings.capturePackets();
        }

        public String summary()
        {
            final StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "opensase bench: %s (%d packets), mode %s, %d s measured after %d s warm-up, burst 32%n",
                settings.captureSource(), settings.capturePackets(), settings.mode().cliName(), settings.seconds(),
                settings.warmupSeconds()));
            text.append(String.format(Locale.ROOT, "  engine   %7.2f Mpps  (worker: %d GC collections, %d bytes "
                + "allocated in the measured interval", engineMpps, gcCollections, allocatedBytes));
            if (BenchMode.FLOW == settings.mode() || BenchMode.ESTABLISHED == settings.mode()
                || BenchMode.IPS == settings.mode())
            {
                text.append(String.format(Locale.ROOT, "; %d flows resident, %.1f %% of packets made a new flow",
                    flowsResident, 100 * newFlowShare));
            }
            text.append(String.format(Locale.ROOT, ")%n"));
            if (null != ips)
            {
                text.append(String.format(Locale.ROOT, "  engine   %7.2f Gbps of frames (%.1f bytes per packet)%n",
                    engineGbps(), (double)settings.captureBytes() / settings.capturePackets()));
                // The load report's first line (loaded, skipped) and the matcher's; the reasons are in `ips`'s.
                ipsLoadReport.lines().filter(line -> line.startsWith("loaded ") || line.startsWith("ips matcher"))
                    .forEach(line -> text.append("  ips      ").append(line).append('\n'));
                text.append(String.format(Locale.ROOT, "  ips      over the run: %d packets inspected, %d alerts, %d "
                    + "TCP flows without a stream (all taken)%n", ips.packets(), ips.alerts(),
                    ips.appFlowsUninspected()));
                text.append(String.format(Locale.ROOT, "  engine   %7.2f Mpps  without the IPS (parse, flow table and "
                    + "address rewrite only), same mode and capture%n", withoutIpsMpps));
            }
            if (null != firewall)
            {
                text.append(String.format(Locale.ROOT, "  firewall %d rules from %s: %d allowed, %d denied, "
                    + "%d invalid over the run%n", settings.firewall().tenants().getFirst().rules().size(),
                    settings.rules(), firewall.outcome(FirewallCounters.ALLOWED),
                    firewall.outcome(FirewallCounters.DENIED), firewall.outcome(FirewallCounters.INVALID)));
                text.append(String.format(Locale.ROOT, "  engine   %7.2f Mpps  without the firewall (parse and flow "
                    + "table only), same mode and capture%n", withoutFirewallMpps));
            }
            if (!Double.isNaN(rewriteOnlyMpps))
            {
                text.append(String.format(Locale.ROOT, "  engine   %7.2f Mpps  with only the address rewrite of "
                    + "flow mode%n", rewriteOnlyMpps));
            }
            text.append(String.format(Locale.ROOT, "  testpmd  %7.2f Mpps  (io forwarding, same devices, capture "
                + "and %d-byte data room)%n  ratio    %7.3f%n", testpmdMpps, settings.frameCapacity(), ratio()));
            return text.toString();
        }

        public String json()
        {
            final JsonWriter json = new JsonWriter().beginObject()
                .field("mode", settings.mode().cliName())
                .field("engine_mpps", engineMpps)
                .field("testpmd_mpps", testpmdMpps)
                .field("ratio", ratio())
                .field("capture", settings.captureSource().toString())
                .field("capture_packets", settings.capturePackets())
                .field("seconds", settings.seconds())
                .field("warmup_seconds", settings.warmupSeconds())
                .field("frame_capacity", settings.frameCapacity())
                .field("gc_collections", gcCollections)
                .field("allocated_bytes", allocatedBytes)
                .field("flows_resident", flowsResident)
                .field("new_flow_share", newFlowShare);
            if (null != firewall)
            {
                json.field("rules", settings.rules().toString())
                    .field("rule_count", settings.firewall().tenants().getFirst().rules().size())
                    .field("firewall_allowed", firewall.outcome(FirewallCounters.ALLOWED))
                    .field("firewall_denied", firewall.outcome(FirewallCounters.DENIED))
                    .field("firewall_invalid", firewall.outcome(FirewallCounters.INVALID))
                    .field("without_firewall_mpps", withoutFirewallMpps);
            }
            if (!Double.isNaN(rewriteOnlyMpps))
            {
                json.field("rewrite_only_mpps", rewriteOnlyMpps);
            }
            if (null != ips)
            {
                json.field("engine_gbps", engineGbps())
                    .field("capture_bytes", settings.captureBytes())
                    .field("ips_packets", ips.packets())
                    .field("ips_alerts", ips.alerts())
                    .field("ips_flows_without_stream", ips.appFlowsUninspected())
                    .field("without_ips_mpps", withoutIpsMpps);
            }
            return json.endObject() + "\n";
        }
    }

    /**
     * Runs the engine (with a firewall: the rewrite alone in flow mode, then the engine without the firewall,
     * then with it; with an IPS: the engine without it, then with it), then testpmd.
     *
     * @throws IllegalStateException when either side fails to run.
     */
    public static Result run(final BenchSettings settings) throws IOException, InterruptedException
    {
        double rewriteOnly = Double.NaN;
        double withoutFirewall = Double.NaN;
        final double withoutIps = null == settings.ips() ? Double.NaN
            : EngineBench.run(settings.withoutIps()).mpps();
        if (null != settings.firewall())
        {
            if (BenchMode.FLOW == settings.mode())
            {
                rewriteOnly = EngineBench.run(settings.withMode(BenchMode.REWRITE)).mpps();
            }
            withoutFirewall = EngineBench.run(settings.withoutFirewall()).mpps();
        }
        final EngineBench.Measurement engine = EngineBench.run(settings);
        final double testpmd = TestpmdBench.run(settings);
        return new Result(settings, engine.mpps(), testpmd, engine.gcCollections(), engine.allocatedBytes(),
            engine.flowsResident(), engine.newFlowShare(), engine.firewall(), withoutFirewall, rewriteOnly,
            engine.ips(), engine.ipsLoadReport(), withoutIps);
    }
}
