package io.opensase.core.cli;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Found by a tester: {@code opensase verify} printed SLF4J's "no binding, defaulting to no-operation" warning
 * when a case opened a Chronicle Map (datasets). Run in a JVM of its own, as SLF4J warns once per JVM: the
 * datasets case passes and nothing but the command's own lines is printed.
 */
class VerifyOutputTest
{
    private static final Path DATA = Path.of(System.getProperty("opensase.data", "../shared/data"));

    @Test
    void verifyPrintsNoLoggingWarnings() throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "verify",
            "--cases", DATA.resolve("ids-verify").toString(), "--only", "datasets-04-http-dns",
            "--classification", DATA.resolve("ids-rules/et-open/classification.config").toString()));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
        assertTrue(output.contains("PASS datasets-04-http-dns"), output);
        assertFalse(output.contains("SLF4J"), output);
    }
}
