package io.opensase.core.testing;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Whether this machine has DPDK for the tests that drive it: they run where {@code pkg-config} finds
 * libdpdk (as on CI, where {@code .ci/run} installs it) and are reported skipped elsewhere. Where DPDK is
 * installed but cannot be used (no hugepages, not root), they run and fail saying why.
 */
public final class DpdkInstalled
{
    private static final boolean INSTALLED = probe();

    private DpdkInstalled()
    {
    }

    public static boolean installed()
    {
        return INSTALLED;
    }

    private static boolean probe()
    {
        try
        {
            final Process process = new ProcessBuilder("pkg-config", "--exists", "libdpdk").start();
            return process.waitFor(10, TimeUnit.SECONDS) && 0 == process.exitValue();
        }
        catch (final IOException ex)
        {
            return false;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
