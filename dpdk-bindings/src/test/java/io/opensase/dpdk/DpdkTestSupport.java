package io.opensase.dpdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.abort;

import io.opensase.classifiers.testing.SharedData;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The one EAL that every test class in this JVM shares, and helpers. EAL initialises once per process, so the
 * first test to call {@link #eal()} initialises it (its thread becomes the main lcore) and every later one reuses
 * it; tests add and remove their own devices with {@link HotplugDevice}, under names from {@link #uniqueName}.
 * Tests that need an EAL that fails, or one run as another user, start child JVMs ({@link ChildJvm}).
 * <p>
 * Without DPDK (pkg-config finds no libdpdk) the test classes, marked {@link RequiresDpdk}, are skipped with that
 * reason; with DPDK installed, any failure to load it fails them.
 */
final class DpdkTestSupport
{
    static final String NULL_AT_INIT = "net_null_init0";
    static final String PCAP_AT_INIT = "net_pcap_init0";
    static final String MIXED_CAPTURE = "pcap/mixed/tcpreplay-test.pcap";
    /** The only shared capture with a jumbo frame: frame 8, 9,100 bytes (capinfos/tshark frame.cap_len). */
    static final String JUMBO_CAPTURE = "pcap/tunnels/zeek-vxlan-encapsulated-http.pcap";

    private static final String DATA_PROP_NAME = "opensase.data";
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static Boolean dpdkInstalled;
    private static Eal eal;
    private static RuntimeException ealFailure;
    private static Path scratch;

    private DpdkTestSupport()
    {
    }

    /** Whether pkg-config finds libdpdk: the condition of {@link RequiresDpdk}. */
    static synchronized boolean dpdkInstalled()
    {
        if (null == dpdkInstalled)
        {
            dpdkInstalled = 0 == exitCode("pkg-config", "--exists", "libdpdk");
        }
        return dpdkInstalled;
    }

    /** Skips the calling test where DPDK is not installed; fails it where DPDK is installed but not usable. */
    static void assumeDpdk()
    {
        if (!dpdkInstalled())
        {
            abort("pkg-config finds no libdpdk on this machine: DPDK tests skipped (install dpdk, dpdk-dev and " +
                "libdpdk-dev to run them)");
        }
        Dpdk.ensureAvailability();
    }

    /** The shared EAL: {@code --in-memory --no-pci -l 0-1} with a net_null and a net_pcap device. */
    static synchronized Eal eal()
    {
        assumeDpdk();
        if (null != ealFailure)
        {
            throw new IllegalStateException("the shared EAL failed to initialise", ealFailure);
        }
        if (null == eal)
        {
            try
            {
                eal = Eal.init(ealArgs());
            }
            catch (final RuntimeException ex)
            {
                ealFailure = ex;
                throw ex;
            }
        }
        return eal;
    }

    static List<String> ealArgs()
    {
        return List.of("--in-memory", "--no-pci", "-l", "0-1", "--no-telemetry",
            "--vdev=" + NULL_AT_INIT,
            "--vdev=" + PCAP_AT_INIT + ",rx_pcap=" + data(MIXED_CAPTURE) + ",tx_pcap=" +
                scratch().resolve("init-tx.pcap"));
    }

    /** A shared test input, under -Dopensase.data, or ../shared/data relative to the repository root. */
    static Path data(final String relative)
    {
        if (null == System.getProperty(DATA_PROP_NAME))
        {
            System.setProperty(DATA_PROP_NAME, moduleDirectory().getParent().resolve("../shared/data").normalize()
                .toString());
        }
        return SharedData.resolve(relative);
    }

    /** A device, pool or ring name no other test in this JVM uses: names are process-wide in DPDK. */
    static String uniqueName(final String prefix)
    {
        return prefix + NAMES.incrementAndGet();
    }

    /** A directory under target/ for files the tests write. */
    static synchronized Path scratch()
    {
        if (null == scratch)
        {
            try
            {
                final Path target = moduleDirectory().resolve("target");
                Files.createDirectories(target);
                scratch = Files.createTempDirectory(target, "dpdk-test-");
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }
        return scratch;
    }

    /** dpdk-bindings/, from where the test classes were loaded (target/test-classes). */
    static Path moduleDirectory()
    {
        return codeSource(DpdkTestSupport.class).getParent().getParent();
    }

    static Path codeSource(final Class<?> type)
    {
        try
        {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        }
        catch (final URISyntaxException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /** A native array of {@code count} mbuf pointers. */
    static MemorySegment pointers(final Arena arena, final int count)
    {
        return arena.allocate(ValueLayout.ADDRESS, count);
    }

    /** The bytes of a packet, following its chain of segments. */
    static byte[] packetBytes(final long mbuf)
    {
        final byte[] bytes = new byte[Mbuf.packetLength(mbuf)];
        int at = 0;
        for (long segment = mbuf; 0 != segment; segment = Mbuf.next(segment))
        {
            final int length = Mbuf.dataLength(segment);
            MemorySegment.copy(MemorySegment.NULL.reinterpret(Long.MAX_VALUE), ValueLayout.JAVA_BYTE,
                Mbuf.dataAddress(segment), bytes, at, length);
            at += length;
        }
        assertEquals(bytes.length, at, "segment lengths add up to the packet length");
        return bytes;
    }

    /** Deletes {@code path} and everything under it, if it exists. */
    static void deleteRecursively(final Path path)
    {
        if (!Files.exists(path))
        {
            return;
        }
        try (Stream<Path> files = Files.walk(path))
        {
            for (final Path file : files.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(file);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot delete " + path, ex);
        }
    }

    /** Runs a command and returns its standard output and error; fails unless it exits with 0 within 60 s. */
    static String run(final String... command)
    {
        final List<String> output = new ArrayList<>();
        final int exit = exitCode(output, command);
        if (0 != exit)
        {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + exit + ":\n" +
                String.join("\n", output));
        }
        return String.join("\n", output);
    }

    static int exitCode(final String... command)
    {
        return exitCode(new ArrayList<>(), command);
    }

    private static int exitCode(final List<String> output, final String... command)
    {
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            output.add(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            if (!process.waitFor(60, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within 60 s");
            }
            return process.exitValue();
        }
        catch (final IOException ex)
        {
            return 127;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
