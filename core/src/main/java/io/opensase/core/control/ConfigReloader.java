package io.opensase.core.control;


import io.opensase.core.config.ConfigException;
import io.opensase.core.config.ConfigLoader;
import io.opensase.core.config.EngineConfig;
import io.opensase.core.engine.Engine;
import io.opensase.core.firewall.FirewallConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Hot reload: reads a configuration, validates it whole, and applies what can change while the engine runs
 * (the firewall's tenants, rules and policies) as a new policy generation, and the IPS rules when what they
 * are compiled from changed ({@link IpsInputs}; unchanged, they keep running as compiled). What cannot change
 * live (ports, workers, buffers, flow table, parser, timeouts) is compared with the running configuration and
 * reported as needing a restart, never silently ignored; the rest is still applied. An invalid file changes
 * nothing.
 * Reloads are serialised; control threads only.
 */
public final class ConfigReloader
{
    private final Path file;
    private final UnaryOperator<EngineConfig> overrides;
    private final Engine engine;
    /** What runs: the configuration last applied (its live part), and the text it came from. */
    private EngineConfig running;
    private String runningText;
    /** What the running IPS rules were compiled from; null without IPS, or when it could not be read. */
    private IpsInputs runningIps;

    /**
     * @param file      the configuration file the engine was started with.
     * @param overrides the command-line overrides (workers, report, duration) the engine was started with,
     *                  applied to every reloaded configuration before it is compared.
     * @param started   the configuration the engine was started with (overrides applied).
     * @param text      the file's text at start.
     */
    public ConfigReloader(final Path file, final UnaryOperator<EngineConfig> overrides, final Engine engine,
        final EngineConfig started, final String text)
    {
        this.file = file;
        this.overrides = overrides;
        this.engine = engine;
        this.running = started;
        this.runningText = text;
        this.runningIps = null == started.ips() ? null : IpsInputs.of(started.ips());
    }

    /** Re-reads the configuration file and applies it when valid. */
    public synchronized ReloadOutcome reload()
    {
        final String text;
        try
        {
            text = Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            return failed(file + ": cannot read the file: " + ex.getMessage(), null);
        }
        return apply(text, false, false);
    }

    /**
     * Validates {@code text} as the whole configuration; unless {@code validateOnly}, writes it over the
     * configuration file (atomically, the previous file kept as {@code FILE.previous}) and applies it.
     */
    public synchronized ReloadOutcome put(final String text, final boolean validateOnly)
    {
        return apply(text, validateOnly, true);
    }

    /** The configuration file. */
    public Path file()
    {
        return file;
    }

    /** The text of the configuration running now, and its digest. */
    public synchronized String runningText()
    {
        return runningText;
    }

    public synchronized String runningDigest()
    {
        return digest(runningText);
    }

    private ReloadOutcome apply(final String text, final boolean validateOnly, final boolean write)
    {
        final String digest = digest(text);
        final EngineConfig next;
        try
        {
            next = overrides.apply(ConfigLoader.parse(file, text));
        }
        catch (final ConfigException ex)
        {
            return new ReloadOutcome(ReloadOutcome.Status.INVALID, generation(), ex.getMessage(), List.of(), digest);
        }
        final List<String> needsRestart = needsRestart(running, next);
        final FirewallConfig live = engine.hasFirewall() && null != next.firewall()
            ? livePart(running.firewall(), next.firewall()) : null;
        final boolean firewallChanged = null != live && !samePolicy(running.firewall(), live);
        if (validateOnly)
        {
            return new ReloadOutcome(ReloadOutcome.Status.VALID, generation(), null, needsRestart, digest);
        }
        if (write)
        {
            try
            {
                replaceFile(text);
            }
            catch (final IOException ex)
            {
                return failed(file + ": cannot write the configuration: " + ex.getMessage(), digest);
            }
        }
        runningText = text;
        // The rule files may have changed even when this file did not: what they hold is compared too.
        final IpsInputs ipsInputs = engine.hasIps() && null != next.ips() ? IpsInputs.of(next.ips()) : null;
        final boolean ipsReloaded = engine.hasIps() && null != next.ips()
            && (null == ipsInputs || !ipsInputs.same(runningIps));
        if (ipsReloaded)
        {
            try
            {
                engine.publishIps(engine.compileIps(next.ips()));
            }
            catch (final IOException ex)
            {
                return failed("ips: cannot read the rules: " + ex.getMessage(), digest);
            }
            running = running.withIps(next.ips());
            runningIps = ipsInputs;
        }
        if (!firewallChanged && ipsReloaded)
        {
            return new ReloadOutcome(ReloadOutcome.Status.APPLIED, generation(), null, needsRestart, digest);
        }
        if (!firewallChanged)
        {
            return new ReloadOutcome(ReloadOutcome.Status.UNCHANGED, generation(), null, needsRestart, digest);
        }
        final long generation;
        try
        {
            generation = engine.publishFirewall(live);
        }
        catch (final IllegalArgumentException ex)
        {
            return new ReloadOutcome(ReloadOutcome.Status.INVALID, generation(), file + ": " + ex.getMessage(),
                needsRestart, digest);
        }
        running = withFirewall(running, live);
        return new ReloadOutcome(ReloadOutcome.Status.APPLIED, generation, null, needsRestart, digest);
    }

    private long generation()
    {
        return engine.hasFirewall() ? engine.firewallPolicy().generation() : 0;
    }

    private ReloadOutcome failed(final String error, final String digest)
    {
        return new ReloadOutcome(ReloadOutcome.Status.FAILED, generation(), error, List.of(), digest);
    }

    /** Writes the new file beside the old one and renames it over, keeping the old one as FILE.previous. */
    private void replaceFile(final String text) throws IOException
    {
        final Path folder = file.toAbsolutePath().getParent();
        final Path temp = Files.createTempFile(folder, "." + file.getFileName(), ".new");
        try
        {
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            if (Files.exists(file))
            {
                Files.copy(file, folder.resolve(file.getFileName() + ".previous"), StandardCopyOption.REPLACE_EXISTING);
            }
            try
            {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            }
            catch (final AtomicMoveNotSupportedException ex)
            {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        finally
        {
            Files.deleteIfExists(temp);
        }
    }

    /** Settings of {@code next} that differ from {@code now} and only take effect at start. */
    static List<String> needsRestart(final EngineConfig now, final EngineConfig next)
    {
        final List<String> fields = new ArrayList<>();
        differ(fields, "engine.workers", now.workers(), next.workers());
        differ(fields, "engine.burst_size", now.burstSize(), next.burstSize());
        differ(fields, "engine.ring_size", now.ringSize(), next.ringSize());
        differ(fields, "engine.idle", now.idle(), next.idle());
        differ(fields, "engine.packet_buffers", now.packetBuffers(), next.packetBuffers());
        differ(fields, "ports", now.ports(), next.ports());
        differ(fields, "flows", now.flows(), next.flows());
        differ(fields, "policy.malformed", now.malformed(), next.malformed());
        differ(fields, "parser.max_tunnel_depth", now.maxTunnelDepth(), next.maxTunnelDepth());
        differ(fields, "parser.max_ipv6_ext_headers", now.maxIpv6ExtHeaders(), next.maxIpv6ExtHeaders());
        differ(fields, "parser.teredo_ports", now.teredoPorts(), next.teredoPorts());
        differ(fields, "report", now.report(), next.report());
        differ(fields, "dpdk", now.dpdk(), next.dpdk());
        differ(fields, "control", now.control(), next.control());
        differ(fields, "audit", now.audit(), next.audit());
        differ(fields, "events", now.events(), next.events());
        if ((null == now.ips()) != (null == next.ips()))
        {
            fields.add(null == now.ips() ? "ips (added)" : "ips (removed)");
        }
        else if (null != now.ips())
        {
            differ(fields, "ips.eve", now.ips().eve(), next.ips().eve());
            differ(fields, "ips.max_streams", now.ips().maxStreams(), next.ips().maxStreams());
        }
        final FirewallConfig before = now.firewall();
        final FirewallConfig after = next.firewall();
        if ((null == before) != (null == after))
        {
            fields.add(null == before ? "firewall (added)" : "firewall (removed)");
        }
        else if (null != before)
        {
            differ(fields, "firewall.timeouts.tcp_opening", before.tcpOpeningNs(), after.tcpOpeningNs());
            differ(fields, "firewall.timeouts.tcp_closing", before.tcpClosingNs(), after.tcpClosingNs());
            differ(fields, "firewall.timeouts.tcp_closed", before.tcpClosedNs(), after.tcpClosedNs());
            differ(fields, "firewall.timeouts.fragment", before.fragmentTimeoutNs(), after.fragmentTimeoutNs());
        }
        return fields;
    }

    private static void differ(final List<String> fields, final String name, final Object now, final Object next)
    {
        if (!Objects.equals(now, next))
        {
            fields.add(name);
        }
    }

    /** Whether two firewalls apply the same policies: the same settings, and the same tenants in order. */
    private static boolean samePolicy(final FirewallConfig now, final FirewallConfig next)
    {
        if (now.unmatched() != next.unmatched() || now.invalid() != next.invalid()
            || now.midstreamPickup() != next.midstreamPickup() || now.failOpen() != next.failOpen()
            || now.tenants().size() != next.tenants().size())
        {
            return false;
        }
        for (int t = 0; t < now.tenants().size(); t++)
        {
            if (!now.tenants().get(t).samePolicyAs(next.tenants().get(t)))
            {
                return false;
            }
        }
        return true;
    }

    /** What of {@code next} can run live: all but the timeouts, which stay those of {@code running}. */
    private static FirewallConfig livePart(final FirewallConfig running, final FirewallConfig next)
    {
        return new FirewallConfig(next.tenants(), next.unmatched(), next.invalid(), next.midstreamPickup(),
            next.failOpen(), running.tcpOpeningNs(), running.tcpClosingNs(), running.tcpClosedNs(),
            running.fragmentTimeoutNs());
    }

    private static EngineConfig withFirewall(final EngineConfig config, final FirewallConfig live)
    {
        return new EngineConfig(config.source(), config.workers(), config.burstSize(), config.ringSize(),
            config.idle(), config.packetBuffers(), config.ports(), config.flows(), config.malformed(),
            config.maxTunnelDepth(), config.maxIpv6ExtHeaders(), config.teredoPorts(), config.report(), config.dpdk(),
            config.durationNs(), live, config.control(), config.audit(), config.events(), config.ips());
    }

    static String digest(final String text)
    {
        try
        {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
        }
    }
}
