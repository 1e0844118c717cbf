package io.opensase.core.bench;

import io.opensase.dpdk.Mbuf;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The reference side of {@code opensase bench}: {@code dpdk-testpmd} in io forwarding mode on the same
 * devices, capture and buffer data room, in a process of its own, on every CPU (the engine's process is
 * pinned to one by EAL, so the child is widened with {@code taskset}). The rate is the median of testpmd's
 * per-second RX rate on the capture port over the measured seconds, after the same warm-up.
 */
final class TestpmdBench
{
    static final String TESTPMD = "dpdk-testpmd";
    /** How long testpmd may take to print its first rate, and then each next one. */
    private static final long START_UP_SECONDS = 60;
    private static final long SAMPLE_GAP_SECONDS = 15;

    private TestpmdBench()
    {
    }

    static double run(final BenchSettings settings) throws IOException, InterruptedException
    {
        final int cpus = Runtime.getRuntime().availableProcessors();
        final List<String> command = List.of("taskset", "-a", "-c", "0-" + (cpus - 1), TESTPMD,
            "-l", "0-1", "--in-memory", "--no-pci", "--no-telemetry",
            "--vdev=" + settings.replayDevargs("net_pcap_testpmd"), "--vdev=net_null_testpmd,no-rx=1",
            "--", "--forward-mode=io", "--auto-start", "--nb-cores=1", "--stats-period=1",
            "--total-num-mbufs=" + BenchSettings.MBUFS, "--mbuf-size=" + (settings.frameCapacity() + Mbuf.HEADROOM));
        final Process process;
        try
        {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot run " + String.join(" ", command.subList(0, 5)) + ": "
                + ex.getMessage() + " (testpmd is in Debian's dpdk-dev package, taskset in util-linux)", ex);
        }
        final List<Long> rates = new ArrayList<>();
        final StringBuilder transcript = new StringBuilder();
        final Thread reader = Thread.ofPlatform().start(() -> readRates(process, rates, transcript));
        final int samples = settings.warmupSeconds() + settings.seconds();
        // testpmd's start-up (reading the capture into mbufs, reserving memory beside the engine's) and the pace of its
        // once-a-second lines vary with the load (21 lines in 40 s once, on a busy machine): it fails only when the
        // first sample takes over a minute, or the next one over 15 s.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_UP_SECONDS);
        int seen = 0;
        while (process.isAlive() && seen < samples && System.nanoTime() < deadline)
        {
            Thread.sleep(200);
            final int count = sampleCount(rates);
            if (count > seen)
            {
                seen = count;
                deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SAMPLE_GAP_SECONDS);
            }
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
        }
        reader.join();
        final List<Long> measured;
        synchronized (rates)
        {
            if (rates.size() < samples)
            {
                throw new IllegalStateException(TESTPMD + " gave " + rates.size() + " of " + samples
                    + " rate samples; it printed:\n" + tail(transcript.toString()));
            }
            measured = new ArrayList<>(rates.subList(settings.warmupSeconds(), samples));
        }
        measured.sort(Long::compare);
        return measured.get(measured.size() / 2) / 1e6;
    }

    /** Collects the Rx-pps value printed for port 0 in every stats block. */
    private static void readRates(final Process process, final List<Long> rates, final StringBuilder transcript)
    {
        try (BufferedReader lines = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            boolean port0 = false;
            String line;
            while ((line = lines.readLine()) != null)
            {
                transcript.append(line).append('\n');
                if (line.contains("NIC statistics for port"))
                {
                    port0 = line.contains("for port 0 ");
                }
                else if (port0 && line.trim().startsWith("Rx-pps:"))
                {
                    final long pps = Long.parseLong(line.trim().split("\\s+")[1]);
                    synchronized (rates)
                    {
                        if (pps > 0 || !rates.isEmpty())
                        {
                            rates.add(pps);
                        }
                    }
                    port0 = false;
                }
            }
        }
        catch (final IOException ex)
        {
            transcript.append("[reading testpmd failed: ").append(ex.getMessage()).append("]\n");
        }
    }

    private static int sampleCount(final List<Long> rates)
    {
        synchronized (rates)
        {
            return rates.size();
        }
    }

    private static String tail(final String text)
    {
        final List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }
}
