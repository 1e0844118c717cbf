package io.opensase.core.cli;


import io.opensase.core.config.ConfigException;
import io.opensase.core.config.ConfigLoader;
import io.opensase.core.config.DpdkPortConfig;
import io.opensase.core.config.EngineConfig;
import io.opensase.core.config.RunFiles;
import io.opensase.core.audit.AuditException;
import io.opensase.core.audit.AuditLog;
import io.opensase.core.control.ConfigReloader;
import io.opensase.core.control.LiveControl;
import io.opensase.core.control.api.ControlApiServer;
import io.opensase.core.dpdk.PcapDevices;
import io.opensase.core.engine.Engine;
import io.opensase.core.engine.RunResult;
import io.opensase.core.events.EventStats;
import io.opensase.core.metrics.StatsPublisher;
import io.opensase.core.report.RunReport;
import sun.misc.Signal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * {@code opensase run}: runs the engine over a capture or DPDK devices, prints a summary and optionally
 * writes the JSON report. SIGINT and SIGTERM stop a run cleanly: the pipeline drains and the report is
 * written.
 */
final class RunCommand
{
    static final String USAGE = """
        opensase run --config FILE [--workers N] [--report FILE] [--seconds N] [--pid-file FILE]
                     [--stats-file FILE]
        opensase run --pcap-in FILE [--pcap-out FILE] [--workers N] [--report FILE] [--seconds N]
                     [--stats-file FILE]
        opensase run --dpdk --pcap-in FILE [--pcap-out FILE] [--workers N] [--report FILE] [--seconds N]
                     [--stats-file FILE]""";

    private static final Set<String> OPTIONS = Set.of("config", "pcap-in", "pcap-out", "workers", "report",
        "seconds", "pid-file", "stats-file");
    private static final Set<String> FLAGS = Set.of("dpdk");

    private RunCommand()
    {
    }

    /**
     * @return the exit status: 0 when the whole input was processed, 1 when the input was corrupt or cut
     *         short (what came before was processed and reported).
     */
    static int run(final List<String> args, final PrintStream out) throws UsageException, ConfigException, IOException
    {
        final Options options = new Options(args, OPTIONS, FLAGS);
        final UnaryOperator<EngineConfig> overrides = overrides(options);
        final EngineConfig config = overrides.apply(configOf(options));
        if (options.has("pid-file") && null == config.source())
        {
            throw new UsageException("--pid-file goes with --config: it lets opensase reload find the engine");
        }
        if (config.receivingPort() instanceof DpdkPortConfig device && device.queues() > 1
            && device.queues() != config.workers())
        {
            throw new UsageException("port " + device.name() + " has " + device.queues() + " queues, each owned by "
                + "one worker, so it needs " + device.queues() + " workers, not " + config.workers());
        }
        RunFiles.check(config);
        final Path statsFile = options.has("stats-file") ? Path.of(options.get("stats-file")) : null;
        if (null != statsFile)
        {
            StatsPublisher.check(statsFile, config);
        }
        final Engine engine = new Engine(config);
        for (final String signal : new String[] {"INT", "TERM"})
        {
            Signal.handle(new Signal(signal), received -> engine.requestStop());
        }
        final RunResult result;
        try (StatsPublisher stats = null == statsFile ? null : StatsPublisher.start(statsFile, engine::sample,
            config.workers(), engine.hasFirewall(), null != config.ips(), StatsPublisher.DEFAULT_INTERVAL_MS))
        {
            result = run(engine, config, options, overrides);
        }
        out.print(RunReport.summary(config, result));
        if (engine.hasIps())
        {
            out.println(engine.ipsTotals().summary());
        }
        events(out, "events", engine.eventStats());
        events(out, "ips events", engine.ipsEventStats());
        if (null != config.report())
        {
            writeReport(config.report(), RunReport.json(config, result, engine.eventStats(), engine.ipsEventStats()));
        }
        if (null != result.captureError())
        {
            System.err.println("opensase: " + result.captureError().getMessage());
            return 1;
        }
        return 0;
    }

    /** One EVE file's event counts at the run's end, when the run wrote it. */
    private static void events(final PrintStream out, final String name, final EventStats stats)
    {
        if (null != stats)
        {
            out.printf("%s: %d queued, %d dropped (queue full), %d written, %d lost, %d write errors%n", name,
                stats.queuedTotal(), stats.droppedTotal(), stats.written(), stats.lost(), stats.writeErrors());
        }
    }

    /** Runs the engine, with the control API, reloads and the audit log when the run has a configuration file. */
    private static RunResult run(final Engine engine, final EngineConfig config, final Options options,
        final UnaryOperator<EngineConfig> overrides) throws IOException, ConfigException
    {
        if (null == config.source())
        {
            return engine.run();
        }
        final Path pidFile = options.has("pid-file") ? Path.of(options.get("pid-file")) : null;
        final ConfigReloader reloader = new ConfigReloader(config.source(), overrides, engine, config,
            Files.readString(config.source(), StandardCharsets.UTF_8));
        try (AuditLog audit = openAudit(config))
        {
            final LiveControl control = new LiveControl(engine, config.receivingPort().name(), reloader, audit);
            try (ControlApiServer api = null == config.control() ? null
                    : ControlApiServer.start(config.control(), control);
                ReloadOnHangup reloads = ReloadOnHangup.start(control, api, pidFile))
            {
                if (null != api)
                {
                    System.err.println("opensase: control API on " + api.localAddress());
                }
                return engine.run();
            }
        }
    }

    /** The audit log the configuration names, opened (its last entry checked against the anchor), or null. */
    private static AuditLog openAudit(final EngineConfig config) throws IOException
    {
        if (null == config.audit())
        {
            return null;
        }
        try
        {
            final AuditLog audit = AuditLog.open(config.audit().log(), config.audit().anchor(), config.audit().key());
            audit.recovered().forEach(repair -> System.err.println("opensase: audit log: " + repair));
            return audit;
        }
        catch (final AuditException ex)
        {
            throw new IOException("audit log: " + ex.getMessage(), ex);
        }
    }

    /** The command line's settings over a configuration: applied at start and to every reloaded file. */
    private static UnaryOperator<EngineConfig> overrides(final Options options) throws UsageException
    {
        final Integer workers = options.has("workers") ? options.integer("workers", 1, EngineConfig.MAX_WORKERS) : null;
        final Path report = options.has("report") ? Path.of(options.get("report")) : null;
        final Long durationNs = options.has("seconds") ? options.integer("seconds", 1, 86_400) * 1_000_000_000L : null;
        return config ->
        {
            EngineConfig result = config;
            result = null == workers ? result : result.withWorkers(workers);
            result = null == report ? result : result.withReport(report);
            return null == durationNs ? result : result.withDuration(durationNs);
        };
    }

    private static EngineConfig configOf(final Options options) throws UsageException, ConfigException, IOException
    {
        if (options.has("config"))
        {
            if (options.has("pcap-in") || options.has("pcap-out") || options.has("dpdk"))
            {
                throw new UsageException("give either --config or --pcap-in/--pcap-out/--dpdk, not both");
            }
            return ConfigLoader.load(Path.of(options.get("config")));
        }
        if (!options.has("pcap-in"))
        {
            throw new UsageException("run needs --config FILE or --pcap-in FILE");
        }
        final Path in = Path.of(options.get("pcap-in"));
        final Path out = options.has("pcap-out") ? Path.of(options.get("pcap-out")) : null;
        if (!options.has("dpdk"))
        {
            return EngineConfig.forCapture(in, out);
        }
        return EngineConfig.withDefaults(PcapDevices.of(in, out));
    }

    /** Writes the report, naming the file when that fails. */
    static void writeReport(final Path file, final String json) throws IOException
    {
        try
        {
            Files.writeString(file, json, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new IOException("cannot write the report " + file + ": " + reason(ex), ex);
        }
    }

    /** What went wrong, without the file name a FileSystemException puts in front of it. */
    static String reason(final IOException ex)
    {
        if (ex instanceof java.nio.file.FileSystemException fileSystem)
        {
            return null == fileSystem.getReason() ? fileSystem.getClass().getSimpleName() : fileSystem.getReason();
        }
        return String.valueOf(ex.getMessage());
    }
}
