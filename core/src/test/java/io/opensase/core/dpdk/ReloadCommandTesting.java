package io.opensase.core.dpdk;

import io.opensase.core.cli.MainAccess;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** {@code opensase reload} run in the test's JVM against an engine it started, and a free port for its API. */
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
