package io.opensase.core.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code opensase ips} refuses HTTP header blocks its heap cannot hold with status 2 and a line that says what
 * to change, as {@code run} does (found by a tester: at the bound, 131,070 blocks of 16 KiB, with a 1 GiB heap it
 * ended in an OutOfMemoryError). In a child JVM with a 256 MiB heap, as this test JVM's heap is larger.
 */
class IpsCommandHeapTest
{
    @TempDir
    Path temp;

    @Test
    void shouldRefuseHeaderBlocksTheHeapCannotHold() throws Exception
    {
        Files.writeString(temp.resolve("local.rules"), "alert udp any any -> any 53 (content:\"x\"; sid:1;)\n");
        final Path config = Files.writeString(temp.resolve("ips.yaml"),
            "ips:\n  rules: [local.rules]\n  max_streams: 65535\n  http_header_blocks: 131070\n");
        final Path eve = temp.resolve("eve.json");
        final Path err = temp.resolve("err.txt");
        final Process ips = new ProcessBuilder(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
            "--enable-native-access=ALL-UNNAMED", "-Dchronicle.analytics.disable=true",
            "-cp", System.getProperty("java.class.path"), "io.opensase.core.cli.Main", "ips",
            "--config", config.toString(), "--pcap", Path.of("../samples/pop-demo.pcap").toString(),
            "--eve", eve.toString()))
            .redirectError(err.toFile())
            .redirectOutput(temp.resolve("out.txt").toFile())
            .start();
        assertTrue(ips.waitFor(60, TimeUnit.SECONDS), "ips did not end");
        final String stderr = Files.readString(err, StandardCharsets.UTF_8);

        assertEquals(2, ips.exitValue(), stderr);
        // 131,070 blocks of 16 KiB: 2.0 GiB.
        assertTrue(stderr.startsWith("opensase: ips.http_header_blocks 131070 needs 2.0 GiB of Java heap for HTTP "
            + "header blocks, and the heap is "), stderr);
        assertFalse(stderr.contains("OutOfMemoryError"), stderr);
    }
}
