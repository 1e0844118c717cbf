package io.opensase.core.control;

import io.opensase.core.config.ConfigLoader;
import io.opensase.core.config.EngineConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The HTTP parser's header blocks ({@code ips.http_header_blocks}) are made when the stage starts: a reload that
 * changes them, or changes {@code ips.max_streams} they follow by default, says it needs a restart.
 */
class HttpHeaderBlocksNeedRestartTest
{
    private static final String HEAD = "ports:\n  - name: in\n    type: pcap\n    rx: in.pcap\n    tx: out.pcap\n"
        + "ips:\n  rules: [r.rules]\n";

    @TempDir
    Path dir;

    @Test
    void shouldNameTheBlocksAsNeedingARestartWhenTheyChange() throws Exception
    {
        Files.writeString(dir.resolve("r.rules"), "");
        final Path file = dir.resolve("engine.yaml");
        final EngineConfig now = ConfigLoader.parse(file, HEAD);

        assertEquals(List.of("ips.http_header_blocks"),
            ConfigReloader.needsRestart(now, ConfigLoader.parse(file, HEAD + "  http_header_blocks: 2048\n")));
        assertEquals(List.of(),
            ConfigReloader.needsRestart(now, ConfigLoader.parse(file, HEAD + "  http_header_blocks: 1024\n")));
        assertEquals(List.of("ips.max_streams", "ips.http_header_blocks"),
            ConfigReloader.needsRestart(now, ConfigLoader.parse(file, HEAD + "  max_streams: 8192\n")));
        assertEquals(List.of("ips.max_streams"), ConfigReloader.needsRestart(now,
            ConfigLoader.parse(file, HEAD + "  max_streams: 8192\n  http_header_blocks: 1024\n")));
    }
}
