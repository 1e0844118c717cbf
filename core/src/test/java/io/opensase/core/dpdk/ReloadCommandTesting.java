package io.opensase.core.dpdk;

import io.opensase.core.cli.MainAccess;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An engine run in a child JVM on the DPDK shim, {@code opensase reload} run in the test's JVM against it, and a
 * free port for its API.
 */
final class ReloadCommandTesting
{
    private ReloadCommandTesting()
    {
    }

    /** What {@code opensase reload} returned and printed (stdout and stderr together). */
    record Reply(int status, String text)
    {
        /** The text without the usage lines a usage error prints. */
        String withoutUsage()
        {
            return text.lines().filter(l -> !l.startsWith("usage:") && !l.startsWith("  opensase"))
                .map(l -> l + "\n").reduce("", String::concat);
        }
    }

    /**
     * Starts {@code opensase run RUNARGS} in a child JVM with this JVM's class path and the DPDK shim, its stdout
     * and stderr to {@code engine.out} and {@code engine.err} in {@code dir}, and waits (up to 30 s) for it to
     * write {@code pidFile}; one that did not is waited for and ended, as the tests' own clean-up ends it.
     */
    static Process startEngine(final Path dir, final Path pidFile, final String... runArgs)
        throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--enable-native-access=ALL-UNNAMED", "-Dchronicle.analytics.disable=true",
            "-Dopensase.dpdk.shim=" + Path.of("..", "dpdk-bindings", "target", "native", "libopensase_dpdk.so")
                .toAbsolutePath().normalize(),
            "-cp", System.getProperty("java.class.path"), "io.opensase.core.cli.Main", "run"));
        command.addAll(List.of(runArgs));
        final Process engine = new ProcessBuilder(command)
            .redirectError(dir.resolve("engine.err").toFile())
            .redirectOutput(dir.resolve("engine.out").toFile())
            .start();
        for (int wait = 0; wait < 300 && Files.notExists(pidFile) && engine.isAlive(); wait++)
        {
            Thread.sleep(100);
        }
        if (Files.notExists(pidFile) && !engine.waitFor(60, TimeUnit.SECONDS))
        {
            engine.destroyForcibly();
        }
        assertTrue(Files.exists(pidFile), "the engine wrote its pid file: " + Files.readString(dir.resolve(
            "engine.err")));
        return engine;
    }

    /** {@code opensase reload --pid-file PIDFILE} in this JVM, its output captured. */
    static Reply reload(final Path pidFile)
    {
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        try
        {
            final int status = MainAccess.execute("reload", "--pid-file", pidFile.toString());
            return new Reply(status, bytes.toString(StandardCharsets.UTF_8));
        }
        finally
        {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** A TCP port on loopback that nothing listens on now. */
    static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }
}
