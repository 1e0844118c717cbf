package io.opensase.core.dpdk;

import io.opensase.core.dpdk.ReloadCommandTesting.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.opensase.core.dpdk.ReloadCommandTesting.reload;
import static io.opensase.core.dpdk.ReloadCommandTesting.startEngine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Found by a tester: a reload that changed the IPS rules took the file's {@code ips.http_header_blocks} (and
 * {@code ips.max_streams}, {@code ips.eve}) as running, though they take effect only at start. The next reload of
 * the same file then said nothing of the restart still needed, and one going back to the value in effect said a
 * restart was needed. A child JVM runs an IPS with 64 header blocks on a DPDK {@code net_null} device; each
 * reload below also changes the rule file, so that the rules are compiled and published each time.
 */
@EnabledIf(value = "io.opensase.core.testing.DpdkInstalled#installed",
    disabledReason = "pkg-config finds no libdpdk: install dpdk, dpdk-dev and libdpdk-dev to run the DPDK tests")
class DpdkIpsRestartFieldsReloadTest
{
    private static final String CONFIG = """
        ports:
          - name: wire
            type: dpdk
            devargs: net_null_restartfields0
        ips:
          rules: [local.rules]
          http_header_blocks: %d
        """;
    private static final String APPLIED = "opensase: reload applied: policy generation 0";
    private static final String RESTART = APPLIED + "; not applied, needs a restart: ips.http_header_blocks";

    @TempDir
    Path temp;

    @Test
    void shouldSayARestartIsNeededUntilTheFileAgainHoldsTheBlocksInEffect() throws Exception
    {
        final Path config = temp.resolve("opensase.yaml");
        final Path pidFile = temp.resolve("opensase.pid");
        Files.writeString(config, CONFIG.formatted(64));
        rules(1);
        final Process engine = startEngine(temp, pidFile, "--config", config.toString(), "--pid-file",
            pidFile.toString(), "--seconds", "20");
        try
        {
            // The pid file comes before the rules are compiled: the IPS runs once they are.
            for (int wait = 0; wait < 200 && !Files.readString(temp.resolve("engine.err")).contains("ips matcher:");
                wait++)
            {
                Thread.sleep(100);
            }

            Files.writeString(config, CONFIG.formatted(128));
            rules(2);
            assertEquals(RESTART, firstLine(reload(pidFile)));

            rules(3);
            assertEquals(RESTART, firstLine(reload(pidFile)), "64 blocks still run; the file says 128");

            Files.writeString(config, CONFIG.formatted(64));
            rules(4);
            assertEquals(APPLIED, firstLine(reload(pidFile)), "the file holds the 64 blocks that run");
        }
        finally
        {
            if (!engine.waitFor(60, TimeUnit.SECONDS))
            {
                engine.destroyForcibly();
            }
        }
        assertEquals(0, engine.exitValue(), Files.readString(temp.resolve("engine.err")));
    }

    /** A rule file of {@code count} rules, so that each reload compiles and publishes rules. */
    private void rules(final int count) throws Exception
    {
        final StringBuilder text = new StringBuilder();
        for (int sid = 1; sid <= count; sid++)
        {
            text.append("alert udp any any -> any 53 (msg:\"dns ").append(sid).append("\"; content:\"example")
                .append(sid).append("\"; sid:").append(sid).append(";)\n");
        }
        Files.writeString(temp.resolve("local.rules"), text);
    }

    private static String firstLine(final Reply reply)
    {
        assertTrue(0 == reply.status(), reply.text());
        return reply.text().lines().findFirst().orElse("");
    }
}
