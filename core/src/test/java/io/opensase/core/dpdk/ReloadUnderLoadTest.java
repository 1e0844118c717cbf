package io.opensase.core.dpdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opensase.core.dpdk.ReloadCommandTesting.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.opensase.core.dpdk.ReloadCommandTesting.reload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Hot reload under load, with loss counted outside the engine. Three processes: a generator and a sink
 * ({@code src/test/c/memif_seq_peer.c}, built here with gcc against libdpdk) and the engine ({@code run
 * --config --pid-file}, one worker) between them on two {@code net_memif} ports. The generator sends UDP
 * frames at a fixed rate (1 Mpps), each with a sequence number; the sink checks that every number arrives
 * exactly once. While the traffic flows, 100 reloads ({@code opensase reload}, run in this JVM: SIGHUP, then
 * the outcome file) alternate between two valid firewall configurations (both allow the traffic, each a
 * different policy) with every fifth file invalid (a YAML syntax error or an unknown action). Checked: every
 * reload's outcome and generation, the final generation (applied + 1), no frame lost or duplicated, the
 * mempool back to its baseline, and the engine's counts balanced and equal to the peers'. Printed: the rate,
 * reordering, the longest gaps between frames at the sink (the worst stalls, measured outside), each with
 * the reloads and the engine's JVM safepoints ({@code -Xlog:safepoint}, a GC pause stops the worker too)
 * that overlapped it.
 * <p>
 * Why memif: it is DPDK's shared-memory port between processes, so the engine runs its real DPDK path (a
 * vdev given by devargs, as a NIC would be) at little CPU cost on the peers' side; {@code net_af_packet} on
 * veth pairs would put the kernel's send and receive path, about a microsecond of CPU per frame and side,
 * between the processes: more than a 2-core machine can give at 1 Mpps beside the engine. The peers are C
 * rather than Java through the project's bindings so that the counting shares no code with what it measures,
 * and they run on a CPU other than the engine's worker. A frame the engine's input ring cannot take is
 * dropped by the generator, as a NIC drops what its ring cannot hold, so an engine that stops reading loses
 * frames here as it would on a wire. The rings have 16,384 slots ({@code rsize=14}, memif's largest): 16 ms
 * at 1 Mpps, more than a NIC's 1,024 descriptors, since on a 2-core machine the worker shares its CPU.
 * <p>
 * Before the measured traffic the generator sends two seconds of warm-up frames (another magic, not counted
 * by the sink): the engine's first second runs before the JIT has compiled the packet path and refuses
 * frames at 1 Mpps, a start-up cost, not a reload's.
 * <p>
 * Settings (system properties): {@code opensase.load.rate} (frames per second, default 1,000,000), {@code
 * opensase.load.seconds} (measured traffic, default 10), {@code opensase.load.reloads} (default 100). The
 * longer run for BENCHMARKS.md is {@code benchmarks/reload-under-load.sh}.
 */
@EnabledIf(value = "io.opensase.core.testing.DpdkInstalled#installed",
    disabledReason = "pkg-config finds no libdpdk: install dpdk, dpdk-dev and libdpdk-dev to run the DPDK tests")
class ReloadUnderLoadTest
{
    private static final long RATE = Long.getLong("opensase.load.rate", 1_000_000);
    private static final long SECONDS = Long.getLong("opensase.load.seconds", 10);
    private static final int RELOADS = Integer.getInteger("opensase.load.reloads", 100);
    private static final long WARMUP_SECONDS = 2;

    /** The engine's configuration; %s: the generator's socket, the sink's socket, the firewall rules. */
    private static final String CONFIG = """
        engine:
          workers: 1
        ports:
          - name: in
            type: dpdk
            devargs: net_memif_load_in,role=server,id=0,socket=%s
            out: out
          - name: out
            type: dpdk
            devargs: net_memif_load_out,role=server,id=1,socket=%s
            receive: false
        firewall:
          tenants:
            - name: lab
              select: [{prefix: 10.77.0.0/16}]
              default: deny
              rules:
        %s""";
    /** Policy A: the test traffic (UDP to port 9000) allowed, everything else denied by default. */
    private static final String RULES_A = """
                - {name: sequence-traffic, action: allow, protocol: udp, destination_ports: 9000}
        """;
    /** Policy B: deny rules for other ports in front, so the rule set and its compiled form differ. */
    private static final String RULES_B = """
                - {name: no-telnet, action: deny, protocol: tcp, destination_ports: 23}
                - {name: no-outside-dns, action: deny, protocol: udp, destination_ports: 53, destination: 10.77.9.0/24}
                - {name: sequence-traffic, action: allow, protocol: udp, destination_ports: 9000}
        """;
    /** Invalid: the YAML does not parse (a flow mapping never closed). */
    private static final String RULES_BROKEN_YAML = """
                - {name: sequence-traffic, action: allow, protocol: udp, destination_ports: 9000
        """;
    /** Invalid: parses, but an action that does not exist. */
    private static final String RULES_BAD_ACTION = """
                - {name: sequence-traffic, action: maybe, protocol: udp, destination_ports: 9000}
        """;

    private static final Pattern APPLIED = Pattern.compile("opensase: reload applied: policy generation (\\d+)\n");

    @TempDir
    Path temp;

    @Test
    void shouldLoseNoPacketWhileReloadingUnderLoad() throws Exception
    {
        final long began = System.nanoTime();
        final Path peer = buildPeer();
        final Path genSocket = temp.resolve("gen.sock");
        final Path sinkSocket = temp.resolve("sink.sock");
        final Path config = temp.resolve("engine.yaml");
        final Path pidFile = temp.resolve("engine.pid");
        final Path report = temp.resolve("report.json");
        final long count = RATE * SECONDS;
        Files.writeString(config, CONFIG.formatted(genSocket, sinkSocket, RULES_A));

        final List<Process> started = new ArrayList<>();
        final List<Reload> reloads = new ArrayList<>();
        final JsonNode generated;
        final JsonNode received;
        final JsonNode run;
        final String placement;
        try
        {
            // SIGHUP, SIGINT and SIGTERM back to their defaults: a JVM started from a shell's background job or
            // nohup inherits some of them ignored, and the engine cannot handle a signal it inherits ignored.
            final List<String> engineCommand = new ArrayList<>(List.of("env", "--default-signal=HUP,INT,TERM"));
            engineCommand.addAll(everyCpu());
            // The JVM options of bin/opensase (this test runs before the package phase makes its jar).
            engineCommand.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Dchronicle.analytics.disable=true",
                "-XX:+UseTransparentHugePages", "-XX:+UseZGC",
                // every JVM safepoint (a GC pause stops the worker too), on the clock the peers stamp frames with
                "-Xlog:safepoint:file=" + temp.resolve("engine-safepoints.log") + ":timenanos",
                "-Dopensase.dpdk.shim=" + Path.of("..", "dpdk-bindings", "target", "native", "libopensase_dpdk.so")
                    .toAbsolutePath().normalize(),
                "-cp", System.getProperty("java.class.path"), "io.opensase.core.cli.Main",
                "run", "--config", config.toString(), "--pid-file", pidFile.toString(), "--report", report.toString(),
                // a backstop: the test stops the engine with SIGTERM once the generator is done
                "--seconds", Long.toString(SECONDS + WARMUP_SECONDS + 20)));
            final Process engine = new ProcessBuilder(engineCommand)
                .redirectError(temp.resolve("engine.err").toFile())
                .redirectOutput(temp.resolve("engine.out").toFile())
                .start();
            started.add(engine);

            // The engine's ports are memif servers: the peers connect once its worker polls, from another CPU.
            final String workerCpus = awaitWorker(engine, 60);
            final int peerCpu = otherCpu(workerCpus);
            placement = "engine worker on CPU " + workerCpus + ", generator and sink on CPU " + peerCpu;
            final Process sink = start(started, "sink", peer, peerCpu,
                "--vdev=net_memif0,role=client,id=1,rsize=14,socket=" + sinkSocket,
                List.of("--count", Long.toString(count), "--idle-exit-ms", "30000"));
            final Process gen = start(started, "gen", peer, peerCpu,
                "--vdev=net_memif0,role=client,id=0,rsize=14,socket=" + genSocket,
                List.of("--count", Long.toString(count), "--rate", Long.toString(RATE), "--warmup",
                    Long.toString(RATE * WARMUP_SECONDS), "--pause-ms", "500"));
            awaitLine(temp.resolve("gen.out"), "link up", 30, engine);
            awaitLine(temp.resolve("sink.out"), "link up", 30, engine);
            final OutputStream go = gen.getOutputStream();
            go.write("go\n".getBytes(StandardCharsets.US_ASCII));
            go.flush();
            final long measuredFrom = System.nanoTime() + (WARMUP_SECONDS * 1000 + 500) * 1_000_000L;

            // The reloads, spread over the measured traffic from 0.5 s in to 1 s before its end.
            final long spacing = (SECONDS * 1000 - 1500) * 1_000_000L / RELOADS;
            boolean runningA = true;
            for (int i = 1; i <= RELOADS; i++)
            {
                sleepUntil(measuredFrom + 500_000_000L + (i - 1) * spacing);
                final boolean invalid = 0 == i % 5;
                final String rules = invalid ? (0 == i % 10 ? RULES_BAD_ACTION : RULES_BROKEN_YAML)
                    : runningA ? RULES_B : RULES_A;
                Files.writeString(config, CONFIG.formatted(genSocket, sinkSocket, rules));
                final long from = System.nanoTime();
                final Reply reply = reload(pidFile);
                reloads.add(new Reload(i, invalid, reply, from, System.nanoTime()));
                if (!invalid && 0 == reply.status())
                {
                    runningA = !runningA;
                }
            }

            generated = json(awaitLine(temp.resolve("gen.out"), "\"role\":\"gen\"", SECONDS + 30, engine));
            Thread.sleep(300); // the engine empties its input ring
            engine.destroy();
            if (!engine.waitFor(SECONDS + WARMUP_SECONDS + 30, TimeUnit.SECONDS))
            {
                fail("the engine did not end: " + Files.readString(temp.resolve("engine.err")));
            }
            assertEquals(0, engine.exitValue(), Files.readString(temp.resolve("engine.err")));
            sink.destroy();
            received = json(awaitLine(temp.resolve("sink.out"), "\"role\":\"sink\"", 30, null));
            go.close();
            gen.waitFor(30, TimeUnit.SECONDS);
            run = new ObjectMapper().readTree(report.toFile());
        }
        finally
        {
            for (final Process process : started)
            {
                if (process.isAlive())
                {
                    process.destroy();
                    if (!process.waitFor(20, TimeUnit.SECONDS))
                    {
                        process.destroyForcibly();
                    }
                }
            }
        }
        final List<Safepoint> safepoints = safepoints(temp.resolve("engine-safepoints.log"));
        final String summary = summary(generated, received, run, reloads, safepoints, placement, began);
        System.out.println(summary);

        // Each reload's outcome: the valid ones applied, one generation each; the invalid ones rejected.
        int applied = 0;
        for (final Reload reload : reloads)
        {
            final String what = "reload " + reload.index() + ": " + reload.reply().text();
            if (reload.invalid())
            {
                assertEquals(1, reload.reply().status(), what);
                assertTrue(reload.reply().text().startsWith("opensase: reload rejected, the running configuration "
                    + "stays: " + config + ":"), what);
            }
            else
            {
                applied++;
                assertEquals(0, reload.reply().status(), what);
                final Matcher generation = APPLIED.matcher(reload.reply().text());
                assertTrue(generation.matches(), what);
                assertEquals(applied + 1, Integer.parseInt(generation.group(1)), what);
            }
        }
        assertEquals(applied + 1, run.get("firewall").get("generation").asLong(), "the final policy generation");
        final long measuredStart = generated.get("start_ns").asLong();
        final long measuredEnd = measuredStart + generated.get("elapsed_ns").asLong();
        assertTrue(reloads.isEmpty() || reloads.getFirst().fromNs() > measuredStart
            && reloads.getLast().toNs() < measuredEnd,
            "every reload ran while the measured traffic flowed");

        // Every frame arrived, once: counted by the sink, outside the engine.
        assertEquals(count, generated.get("offered").asLong(), "frames the generator sent");
        assertEquals(0, generated.get("refused").asLong(), "frames the engine's input ring refused (it did not "
            + "read for longer than the ring lasts):\n" + summary);
        assertEquals(0, received.get("lost").asLong(), "lost (numbers " + received.get("first_missing") + " to "
            + received.get("last_missing") + "):\n" + summary);
        assertEquals(0, received.get("duplicates").asLong(), "duplicated");
        assertEquals(0, received.get("foreign").asLong() + received.get("out_of_range").asLong(),
            "frames that are not the generator's");
        assertEquals(count, received.get("unique").asLong());

        // The engine's report: every buffer back, every packet accounted for, and its counts agree with the
        // peers' (warm-up frames included).
        assertEquals(0, run.get("buffers_in_use").asLong(), "mbufs not back in the mempool");
        assertEquals(run.get("packets_in").asLong() + run.get("generated").asLong(),
            run.get("packets_out").asLong() + drops(run), "received + generated = transmitted + dropped");
        assertEquals(generated.get("sent").asLong() + generated.get("warmup").asLong()
            - generated.get("warmup_refused").asLong(), run.get("packets_in").asLong(), "frames the engine took");
        assertEquals(received.get("received").asLong(), run.get("packets_out").asLong(),
            "frames the engine transmitted and the sink received");
    }

    private static long drops(final JsonNode run)
    {
        long drops = 0;
        for (final Map.Entry<String, JsonNode> reason : run.get("drops").properties())
        {
            drops += reason.getValue().asLong();
        }
        return drops;
    }

    /** Compiles the generator and sink into the test's folder. */
    private Path buildPeer() throws IOException, InterruptedException
    {
        final Path source = Path.of("src", "test", "c", "memif_seq_peer.c").toAbsolutePath();
        final Path binary = temp.resolve("memif_seq_peer");
        final Process flags = new ProcessBuilder("pkg-config", "--cflags", "--libs", "libdpdk").start();
        final String pkg = new String(flags.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, flags.waitFor(), "pkg-config --cflags --libs libdpdk");
        final List<String> command = new ArrayList<>(List.of("gcc", "-O2", "-Wall", "-Werror", "-o",
            binary.toString(), source.toString()));
        command.addAll(List.of(pkg.split("\\s+")));
        final Process gcc = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String out = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, gcc.waitFor(), "gcc " + source + ":\n" + out);
        return binary;
    }

    /** A peer: one lcore on {@code cpu}, its own EAL in memory, one memif port. */
    private Process start(final List<Process> started, final String role, final Path peer, final int cpu,
        final String vdev, final List<String> options) throws IOException
    {
        final List<String> command = new ArrayList<>(everyCpu());
        command.addAll(List.of(peer.toString(), role, "-l", Integer.toString(cpu), "--in-memory", "--no-pci",
            "--no-telemetry", "--file-prefix=opensase_load_" + role + "_" + ProcessHandle.current().pid(), vdev, "--"));
        command.addAll(options);
        final Process process = new ProcessBuilder(command)
            .redirectError(temp.resolve(role + ".err").toFile())
            .redirectOutput(temp.resolve(role + ".out").toFile())
            .start();
        started.add(process);
        return process;
    }

    /**
     * {@code taskset} over every online CPU: in a test JVM where another DPDK test started EAL, this thread
     * is pinned to one CPU, and a child would inherit that (and a JVM would see one CPU).
     */
    private static List<String> everyCpu() throws IOException
    {
        return List.of("taskset", "-c", Files.readString(Path.of("/sys/devices/system/cpu/online")).strip());
    }

    /** The engine's worker thread once it runs, as the CPUs it may run on ({@code Cpus_allowed_list}). */
    private String awaitWorker(final Process engine, final int seconds) throws IOException, InterruptedException
    {
        final long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline && engine.isAlive())
        {
            try (var tasks = Files.list(Path.of("/proc", Long.toString(engine.pid()), "task")))
            {
                for (final Path task : tasks.toList())
                {
                    try
                    {
                        if ("opensase-worker".equals(Files.readString(task.resolve("comm")).strip()))
                        {
                            for (final String line : Files.readAllLines(task.resolve("status")))
                            {
                                if (line.startsWith("Cpus_allowed_list:"))
                                {
                                    return line.substring(line.indexOf(':') + 1).strip();
                                }
                            }
                        }
                    }
                    catch (final IOException ex)
                    {
                        // the thread ended meanwhile
                    }
                }
            }
            Thread.sleep(50);
        }
        fail("the engine's worker did not start: " + Files.readString(temp.resolve("engine.err")));
        return null;
    }

    /** The first online CPU outside {@code cpus} (a list such as {@code 0} or {@code 2-3,5}), else the last. */
    private static int otherCpu(final String cpus) throws IOException
    {
        final long taken = cpuMask(cpus);
        final long online = cpuMask(Files.readString(Path.of("/sys/devices/system/cpu/online")).strip());
        final long free = online & ~taken;
        return 0 != free ? Long.numberOfTrailingZeros(free) : 63 - Long.numberOfLeadingZeros(online);
    }

    private static long cpuMask(final String list)
    {
        long mask = 0;
        for (final String range : list.split(","))
        {
            final String[] ends = range.split("-");
            for (int cpu = Integer.parseInt(ends[0]); cpu <= Integer.parseInt(ends[ends.length - 1]) && cpu < 64; cpu++)
            {
                mask |= 1L << cpu;
            }
        }
        return mask;
    }

    /** Waits for a line holding {@code text} in a process's output file and returns it. */
    private String awaitLine(final Path file, final String text, final long seconds, final Process engine)
        throws IOException, InterruptedException
    {
        final long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline)
        {
            if (Files.exists(file))
            {
                for (final String line : Files.readAllLines(file))
                {
                    if (line.contains(text))
                    {
                        return line;
                    }
                }
            }
            if (null != engine && !engine.isAlive())
            {
                fail("the engine ended (" + engine.exitValue() + ") before " + file.getFileName() + " said '" + text
                    + "': " + Files.readString(temp.resolve("engine.err")));
            }
            Thread.sleep(20);
        }
        final String err = file.resolveSibling(file.getFileName().toString().replace(".out", ".err")).toString();
        fail(file + " did not say '" + text + "' within " + seconds + " s; " + err + ": "
            + (Files.exists(Path.of(err)) ? Files.readString(Path.of(err)) : "") + "; engine: "
            + (Files.exists(temp.resolve("engine.err")) ? Files.readString(temp.resolve("engine.err")) : ""));
        return null;
    }

    private static void sleepUntil(final long nanoTime) throws InterruptedException
    {
        final long left = nanoTime - System.nanoTime();
        if (left > 0)
        {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    private static JsonNode json(final String line) throws IOException
    {
        return new ObjectMapper().readTree(line);
    }

    private record Reload(int index, boolean invalid, Reply reply, long fromNs, long toNs)
    {
    }

    /** A JVM safepoint of the engine: every Java thread, the worker too, stood still for {@code totalNs}. */
    private record Safepoint(String name, long endNs, long totalNs)
    {
    }

    private static final Pattern SAFEPOINT = Pattern.compile(
        "\\[(\\d+)ns\\] Safepoint \"([^\"]+)\".* Total: (\\d+) ns.*");

    /** The engine's {@code -Xlog:safepoint} lines: time (System.nanoTime, CLOCK_MONOTONIC), kind, length. */
    private static List<Safepoint> safepoints(final Path log) throws IOException
    {
        final List<Safepoint> safepoints = new ArrayList<>();
        if (Files.exists(log))
        {
            for (final String line : Files.readAllLines(log))
            {
                final Matcher matcher = SAFEPOINT.matcher(line);
                if (matcher.matches())
                {
                    safepoints.add(new Safepoint(matcher.group(2), Long.parseLong(matcher.group(1)),
                        Long.parseLong(matcher.group(3))));
                }
            }
        }
        return safepoints;
    }

    /** The reloads and JVM safepoints that overlapped a gap that ended at {@code end_ns} and lasted {@code ns}. */
    private static String cause(final JsonNode gap, final List<Reload> reloads, final List<Safepoint> safepoints)
    {
        final long end = gap.get("end_ns").asLong();
        final long start = end - gap.get("ns").asLong();
        final List<Integer> during = reloads.stream()
            .filter(r -> r.fromNs() < end && r.toNs() > start).map(Reload::index).toList();
        final List<String> stopped = safepoints.stream()
            .filter(p -> p.endNs() - p.totalNs() < end && p.endNs() > start - 1_000_000L && p.totalNs() > 1_000_000L)
            .map(p -> String.format(Locale.ROOT, "%s %.1f ms", p.name(), p.totalNs() / 1e6)).toList();
        return (during.isEmpty() ? "no reload running" : "during reload " + during) + "; "
            + (stopped.isEmpty() ? "no JVM safepoint over 1 ms" : "the engine's JVM stopped: " + stopped);
    }

    /** What the run measured, for the test's output. */
    private static String summary(final JsonNode gen, final JsonNode sink, final JsonNode run,
        final List<Reload> reloads, final List<Safepoint> safepoints, final String placement, final long began)
    {
        final StringBuilder text = new StringBuilder();
        final long applied = reloads.stream().filter(r -> !r.invalid()).count();
        long slowest = 0;
        long total = 0;
        for (final Reload reload : reloads)
        {
            slowest = Math.max(slowest, reload.toNs() - reload.fromNs());
            total += reload.toNs() - reload.fromNs();
        }
        text.append(String.format(Locale.ROOT, "reload under load: %,d frames at %,.0f fps (target %,d; %d s), "
                + "%d reloads (%d applied, %d rejected), final generation %d%n",
            gen.get("offered").asLong(), gen.get("rate_pps").asDouble(), gen.get("target_pps").asLong(), SECONDS,
            reloads.size(), applied, reloads.size() - applied, run.get("firewall").get("generation").asLong()));
        text.append(String.format(Locale.ROOT, "  sink: lost %d, duplicated %d, reordered %d (refused at the engine's"
                + " input %d); warm-up: %d refused of %d%n",
            sink.get("lost").asLong(), sink.get("duplicates").asLong(), sink.get("reordered").asLong(),
            gen.get("refused").asLong(), gen.get("warmup_refused").asLong(), gen.get("warmup").asLong()));
        text.append(String.format(Locale.ROOT, "  longest gap at the sink %.3f ms; longest one-way delay %.3f ms "
                + "(mean %.3f ms); the generator's own worst lateness %.3f ms (%.1f ms of schedule skipped)%n",
            sink.get("gaps").path(0).path("ns").asLong() / 1e6, sink.get("max_delay_ns").asLong() / 1e6,
            sink.get("mean_delay_ns").asLong() / 1e6, gen.get("max_lag_ns").asLong() / 1e6,
            gen.get("stalled_ns").asLong() / 1e6));
        for (final JsonNode gap : sink.get("gaps"))
        {
            text.append(String.format(Locale.ROOT, "    gap %.3f ms before frame %d (sent %.3f ms apart): %s%n",
                gap.get("ns").asLong() / 1e6, gap.get("seq").asLong(), gap.get("sent_ns").asLong() / 1e6,
                cause(gap, reloads, safepoints)));
        }
        final JsonNode added = sink.get("added_gap");
        text.append(String.format(Locale.ROOT, "  longest gap the engine's side added (a gap less the time between "
                + "the two frames' sending) %.3f ms before frame %d: %s%n", added.get("ns").asLong() / 1e6,
            added.get("seq").asLong(), cause(added, reloads, safepoints)));
        text.append(String.format(Locale.ROOT, "  reload command: mean %.1f ms, slowest %.1f ms; engine: in %d, out "
                + "%d, generated %d, dropped %d %s, buffers in use %d%n",
            total / 1e6 / Math.max(1, reloads.size()), slowest / 1e6, run.get("packets_in").asLong(),
            run.get("packets_out").asLong(), run.get("generated").asLong(), drops(run), run.get("drops"),
            run.get("buffers_in_use").asLong()));
        final Safepoint longest = safepoints.stream().max(java.util.Comparator.comparingLong(Safepoint::totalNs))
            .orElse(new Safepoint("none", 0, 0));
        text.append(String.format(Locale.ROOT, "  engine JVM safepoints: %d, %d over 10 ms, longest %.1f ms (%s)%n",
            safepoints.size(), safepoints.stream().filter(p -> p.totalNs() > 10_000_000L).count(),
            longest.totalNs() / 1e6, longest.name()));
        text.append(String.format(Locale.ROOT, "  %s; test took %.1f s", placement,
            (System.nanoTime() - began) / 1e9));
        return text.toString();
    }
}
