package io.opensase.core.control;


import io.opensase.core.config.ConfigException;
import io.opensase.core.config.ConfigLoader;
import io.opensase.core.config.EngineConfig;
import io.opensase.core.engine.Engine;
import io.opensase.core.firewall.FirewallConfig;
import io.opensase.core.ips.IpsPolicy;
import io.opensase.core.ips.IpsSettings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
 * reported as needing a restart, never silently ignored; the rest is still applied. The IPS rules, their
 * classification, DLP profiles and datasets are loaded before anything is written or applied, so a
 * configuration that does not load, or whose new rules would all be skipped, is invalid; an invalid
 * configuration changes nothing.
 * Reloads are serialised; control threads only.
 */
public final class ConfigReloader
{
    private final Path file;
    private final UnaryOperator<EngineConfig> overrides;
    private final Engine engine;
    /** What runs: the configuration last applied (its live part). Reloads only. */
    private EngineConfig running;
    /** What the running IPS rules were compiled from; null without IPS, or when it could not be read. */
    private IpsInputs runningIps;
    /**
     * The text running and its digest, published whole for readers that must not wait for a reload under way
     * ({@code /health}, {@code GET /config}).
     */
    private volatile RunningText published;

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
        this.published = new RunningText(text, digest(text));
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
     * Validates {@code text} as the whole configuration, loading everything it names (rule files,
     * classification, DLP profiles, datasets); unless {@code validateOnly}, writes it over the configuration
     * file (atomically, the previous file kept as {@code FILE.previous}) and applies it. The text comes from a
     * client, not from the operator's file system: the files the IPS would read must be inside the
     * configuration's folder, or be ones the running configuration names.
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

    /** The text of the configuration running now; never waits for a reload under way. */
    public String runningText()
    {
        return published.text();
    }

    /** SHA-256 of {@link #runningText()}, hex; never waits for a reload under way. */
    public String runningDigest()
    {
        return published.digest();
    }

    private ReloadOutcome apply(final String text, final boolean validateOnly, final boolean fromClient)
    {
        final String digest = digest(text);
        final EngineConfig next;
        try
        {
            next = overrides.apply(fromClient ? ConfigLoader.parse(file, text, this::readableFromClient)
                : ConfigLoader.parse(file, text));
        }
        catch (final ConfigException ex)
        {
            return invalid(ex.getMessage(), List.of(), digest, null);
        }
        final List<String> needsRestart = needsRestart(running, next);
        final FirewallConfig live = engine.hasFirewall() && null != next.firewall()
            ? livePart(running.firewall(), next.firewall()) : null;
        final boolean firewallChanged = null != live && !samePolicy(running.firewall(), live);
        // The rule files may have changed even when this file did not: what they hold is compared too.
        final IpsInputs ipsInputs = null == next.ips() ? null : IpsInputs.of(next.ips());
        final boolean ipsChanged = null != next.ips() && (null == ipsInputs || !ipsInputs.same(runningIps));
        // Everything the IPS section names is loaded before anything is written or applied; only a running IPS
        // stage takes the result up, so anything else (validate-only, an IPS section a restart will start)
        // is loaded with sets of its own and closed.
        final boolean publish = ipsChanged && !validateOnly && engine.hasIps();
        IpsPolicy candidate = null;
        if (ipsChanged)
        {
            try
            {
                candidate = publish ? engine.compileIps(next.ips()) : IpsPolicy.load(next.ips());
            }
            catch (final IOException ex)
            {
                return invalid(reason(ex), needsRestart, digest, null);
            }
            if (0 == candidate.enforcedCount() && candidate.ruleCount() > 0)
            {
                candidate.close();
                return invalid("ips: none of the " + candidate.ruleCount() + " rules in the new rule files loads; "
                    + "the running rules stay", needsRestart, digest, candidate.loadReport());
            }
        }
        final String ipsLoad = null == candidate ? null : candidate.loadReport();
        if (!publish && null != candidate)
        {
            candidate.close();
            candidate = null;
        }
        if (validateOnly)
        {
            return new ReloadOutcome(ReloadOutcome.Status.VALID, generation(), null, needsRestart, digest, ipsLoad);
        }
        if (fromClient)
        {
            try
            {
                replaceFile(text);
            }
            catch (final IOException ex)
            {
                if (null != candidate)
                {
                    candidate.close();
                }
                return failed(file + ": cannot write the configuration: " + ex.getMessage(), digest);
            }
        }
        published = new RunningText(text, digest);
        if (null != candidate)
        {
            engine.publishIps(candidate);
            // What takes effect only at start stays as started, so that the next reload still says it waits.
            running = running.withIps(next.ips().withStartOnlyOf(running.ips()));
            runningIps = ipsInputs;
        }
        if (!firewallChanged)
        {
            return new ReloadOutcome(null != candidate ? ReloadOutcome.Status.APPLIED : ReloadOutcome.Status.UNCHANGED,
                generation(), null, needsRestart, digest, ipsLoad);
        }
        final long generation;
        try
        {
            generation = engine.publishFirewall(live);
        }
        catch (final IllegalArgumentException ex)
        {
            return invalid(file + ": " + ex.getMessage(), needsRestart, digest, ipsLoad);
        }
        running = withFirewall(running, live);
        return new ReloadOutcome(ReloadOutcome.Status.APPLIED, generation, null, needsRestart, digest, ipsLoad);
    }

    /**
     * Whether a configuration a client sent may have the IPS read {@code path}: a file in the configuration's
     * folder (or below it), or one the running configuration names (the operator wrote that).
     */
    private boolean readableFromClient(final Path path)
    {
        final Path absolute = path.toAbsolutePath().normalize();
        if (absolute.startsWith(file.toAbsolutePath().normalize().getParent()))
        {
            return true;
        }
        final IpsSettings ips = running.ips();
        if (null == ips)
        {
            return false;
        }
        final List<Path> named = new ArrayList<>(ips.ruleFiles());
        named.add(ips.classification());
        named.add(ips.dlp());
        return named.stream().anyMatch(p -> null != p && p.toAbsolutePath().normalize().equals(absolute));
    }

    /** Why the IPS files could not be loaded: file, line when there is one, and reason. */
    private static String reason(final IOException ex)
    {
        if (ex instanceof NoSuchFileException missing)
        {
            return missing.getFile() + ": no such file";
        }
        if (ex instanceof AccessDeniedException denied)
        {
            return denied.getFile() + ": permission denied";
        }
        if (ex instanceof FileSystemException other && null != other.getFile())
        {
            return other.getFile() + ": " + other.getReason();
        }
        return ex.getMessage();
    }

    private ReloadOutcome invalid(final String error, final List<String> needsRestart, final String digest,
        final String ipsLoad)
    {
        return new ReloadOutcome(ReloadOutcome.Status.INVALID, generation(), error, needsRestart, digest, ipsLoad);
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
            differ(fields, "ips.http_header_blocks", now.ips().httpHeaderBlocks(), next.ips().httpHeaderBlocks());
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

    /** A configuration text and its digest, published together. */
    private record RunningText(String text, String digest)
    {
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
