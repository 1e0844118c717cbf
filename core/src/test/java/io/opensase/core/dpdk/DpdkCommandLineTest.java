package io.opensase.core.dpdk;

import io.opensase.classifiers.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code opensase run} with DPDK, in a child JVM of its own (EAL starts once per process): the one-line
 * errors an operator sees when DPDK cannot start or a capture cannot be replayed, and a clean run.
 */
@EnabledIf(value = "io.opensase.core.testing.DpdkInstalled#installed",
    disabledReason = "pkg-config finds no libdpdk: install dpdk, dpdk-dev and libdpdk-dev to run the DPDK tests")
class DpdkCommandLineTest
{
    @TempDir
    Path temp;

    @Test
    void shouldSayHowToGetHugepagesWhenEalFindsNone() throws Exception
    {
        final Path empty = Files.createDirectories(temp.resolve("not-hugetlbfs"));
        final Path config = temp.resolve("no-hugepages.yaml");
        Files.writeString(config, """
            dpdk:
              eal_args: [--no-pci, --huge-dir, %s, --file-prefix, opensase_test_nohuge]
            ports:
              - name: lan
                type: dpdk
                devargs: net_null0
            """.formatted(empty));

        final Result result = opensase("run", "--config", config.toString(), "--seconds", "1");
        deleteRecursively(Path.of("/var/run/dpdk/opensase_test_nohuge"));

        assertEquals(2, result.status(), result.stderr());
        final String line = lastLine(result.stderr());
        assertTrue(line.startsWith("opensase: rte_eal_init(["), line);
        assertTrue(line.contains("To fix: EAL found no usable hugepages"), line);
    }

    @Test
    void shouldRejectANonEthernetCaptureWithStatusTwo() throws Exception
    {
        final Path loopback = SharedData.resolve("pcap/quic/tcpdump-quic_handshake.pcap");

        final Result result = opensase("run", "--dpdk", "--pcap-in", loopback.toString());

        assertEquals(2, result.status());
        assertTrue(result.stderr().startsWith("opensase: " + loopback + ": link type NULL; --dpdk takes Ethernet "
            + "captures only"), result.stderr());
    }

    @Test
    void shouldReplayACaptureThroughDpdkAndWriteTheReport() throws Exception
    {
        final Path report = temp.resolve("report.json");
        final Path out = temp.resolve("out.pcap");

        final Result result = opensase("run", "--dpdk", "--pcap-in", SharedData.resolve("pcap/mixed/tcpreplay-test.pcap")
            .toString(), "--pcap-out", out.toString(), "--workers", "2", "--report", report.toString());

        assertEquals(0, result.status(), result.stderr());
        assertTrue(result.stdout().contains("packets in 179 (69000 bytes), out 179 (69000 bytes), dropped 0"),
            result.stdout());
        assertTrue(Files.readString(report).contains("\"packets_out\": 179"));
        assertEquals(179, io.opensase.core.testing.RawPcap.frames(out).size());
    }

    @Test
    void shouldBenchTheEngineAgainstTestpmdAndWriteBothRates() throws Exception
    {
        final Path report = temp.resolve("bench.json");

        final Result result = opensase("bench", "--capture", SharedData.resolve("pcap/mixed/tcpreplay-test.pcap")
            .toString(), "--seconds", "1", "--mode", "flow", "--report", report.toString());

        assertEquals(0, result.status(), result.stderr());
        final com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(report.toFile());
        assertEquals("flow", json.get("mode").asText());
        assertTrue(json.get("engine_mpps").asDouble() > 0, json.toString());
        assertTrue(json.get("testpmd_mpps").asDouble() > 0, json.toString());
        assertEquals(json.get("engine_mpps").asDouble() / json.get("testpmd_mpps").asDouble(),
            json.get("ratio").asDouble(), 1e-9);
        assertTrue(json.get("flows_resident").asLong() > 0, json.toString());
    }

    @Test
    void shouldBenchTheIpsOverAFolderOfCaptures() throws Exception
    {
        final Path report = temp.resolve("bench-ips.json");
        final Path rules = temp.resolve("every-packet.rules");
        Files.writeString(rules, "alert ip any any -> any any (msg:\"every packet\"; sid:1;)\n");
        final Path folder = Files.createDirectories(temp.resolve("captures"));
        Files.copy(SharedData.resolve("pcap/mixed/tcpreplay-test.pcap"), folder.resolve("a.pcap"));
        Files.copy(SharedData.resolve("pcap/mixed/tcpreplay-test.pcap"), folder.resolve("b.pcap"));

        final Result result = opensase("bench", "--mode", "ips", "--ips-rules", rules.toString(), "--capture",
            folder.toString(), "--seconds", "1", "--report", report.toString());

        assertEquals(0, result.status(), result.stderr());
        assertTrue(result.stdout().startsWith("opensase bench: 358 packets of 2 captures under " + folder),
            result.stdout());
        final com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(report.toFile());
        assertEquals("ips", json.get("mode").asText());
        assertEquals(folder.toString(), json.get("capture").asText());
        assertEquals(358, json.get("capture_packets").asLong());
        assertEquals(2 * 69_000, json.get("capture_bytes").asLong());
        assertTrue(json.get("engine_mpps").asDouble() > 0, json.toString());
        assertTrue(json.get("without_ips_mpps").asDouble() > 0, json.toString());
        assertEquals(json.get("engine_mpps").asDouble() * 8e-3 * 69_000 / 179, json.get("engine_gbps").asDouble(),
            1e-9);
        // The rule holds on every packet, as each one is inspected.
        assertTrue(json.get("ips_packets").asLong() > 0, json.toString());
        assertEquals(json.get("ips_packets").asLong(), json.get("ips_alerts").asLong(), json.toString());
        assertEquals(0, json.get("ips_flows_without_stream").asLong(), json.toString());
    }

    @Test
    void shouldFailTheBenchWhenTestpmdCannotRun() throws Exception
    {
        final Result result = opensaseWithPath("/nonexistent", "bench", "--capture",
            SharedData.resolve("pcap/mixed/tcpreplay-test.pcap").toString(), "--seconds", "1");

        assertEquals(1, result.status(), result.stdout());
        assertTrue(lastLine(result.stderr()).startsWith("opensase: bench failed: cannot run taskset"),
            result.stderr());
    }

    private record Result(int status, String stdout, String stderr)
    {
    }

    private static Result opensase(final String... args) throws IOException, InterruptedException
    {
        return opensaseWithPath(System.getenv("PATH"), args);
    }

    private static Result opensaseWithPath(final String path, final String... args)
        throws IOException, InterruptedException
    {
        final List<String> command = new java.util.ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--enable-native-access=ALL-UNNAMED", "-Dchronicle.analytics.disable=true",
            "-Dopensase.dpdk.shim=" + shim(),
            "-cp", System.getProperty("java.class.path"), "io.opensase.core.cli.Main"));
        command.addAll(List.of(args));
        final ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("PATH", path);
        final Process process = builder.start();
        final byte[] out = process.getInputStream().readAllBytes();
        final byte[] err = process.getErrorStream().readAllBytes();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the child JVM ends");
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8),
            new String(err, StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("EAL:"))
                .reduce("", (a, b) -> a + b + "\n"));
    }

    private static Path shim()
    {
        return Path.of("..", "dpdk-bindings", "target", "native", "libopensase_dpdk.so").toAbsolutePath().normalize();
    }

    private static void deleteRecursively(final Path folder) throws IOException
    {
        if (Files.exists(folder))
        {
            try (java.util.stream.Stream<Path> files = Files.walk(folder))
            {
                for (final Path file : files.sorted(java.util.Comparator.reverseOrder()).toList())
                {
                    Files.delete(file);
                }
            }
        }
    }

    @Test
    void shouldRefuseAFileNameDevargsCannotCarry() throws Exception
    {
        final Path comma = temp.resolve("we,ird.pcap");
        Files.copy(SharedData.resolve("pcap/mixed/tcpreplay-test.pcap"), comma);

        final Result result = opensase("run", "--dpdk", "--pcap-in", comma.toString());

        assertEquals(2, result.status());
        assertEquals("opensase: " + comma + ": DPDK devargs separate arguments with commas, so a file name given to "
            + "net_pcap cannot hold one: rename or link the file", lastLine(result.stderr()));
    }

    @Test
    void shouldRefuseToReplayACaptureCutShortRatherThanLoseItsTail() throws Exception
    {
        final byte[] whole = Files.readAllBytes(SharedData.resolve("pcap/mixed/tcpreplay-test.pcap"));
        final Path cut = temp.resolve("cut.pcap");
        Files.write(cut, java.util.Arrays.copyOf(whole, 200));

        final Result result = opensase("run", "--dpdk", "--pcap-in", cut.toString());

        assertEquals(2, result.status());
        assertTrue(lastLine(result.stderr()).matches("opensase: .*cut.pcap: at byte \\d+: packet data cut short: .*"
            + "; DPDK's net_pcap would stop there: run it without --dpdk, which processes the packets before it"),
            result.stderr());
    }

    private static String lastLine(final String text)
    {
        final List<String> lines = text.lines().toList();
        return lines.isEmpty() ? "" : lines.getLast();
    }
}
