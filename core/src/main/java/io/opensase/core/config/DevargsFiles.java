package io.opensase.core.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The capture files a DPDK {@code net_pcap} device reads ({@code rx_pcap=}) and writes ({@code tx_pcap=}),
 * found in its devargs. Devargs separate arguments with commas and have no escape for them.
 */
public final class DevargsFiles
{
    private static final String RX = "rx_pcap=";
    private static final String TX = "tx_pcap=";

    private DevargsFiles()
    {
    }

    /** The file after {@code rx_pcap=}, or null. */
    public static Path rxCapture(final String devargs)
    {
        return value(devargs, RX);
    }

    /** The file after {@code tx_pcap=}, or null. */
    public static Path txCapture(final String devargs)
    {
        return value(devargs, TX);
    }

    /** True when the device replays its capture for ever rather than once. */
    public static boolean loops(final String devargs)
    {
        return List.of(devargs.split(",")).contains("infinite_rx=1");
    }

    /** The devargs with relative {@code rx_pcap=} and {@code tx_pcap=} files taken from {@code folder}. */
    static String resolve(final String devargs, final Path folder)
    {
        final List<String> arguments = new ArrayList<>();
        for (final String argument : devargs.split(",", -1))
        {
            if (argument.startsWith(RX) || argument.startsWith(TX))
            {
                final String key = argument.substring(0, RX.length());
                arguments.add(key + folder.resolve(argument.substring(RX.length())).normalize());
            }
            else
            {
                arguments.add(argument);
            }
        }
        return String.join(",", arguments);
    }

    /** The argument {@code key} names, or null; the last one wins, as in the driver. */
    private static Path value(final String devargs, final String key)
    {
        Path file = null;
        for (final String argument : devargs.split(","))
        {
            if (argument.startsWith(key))
            {
                file = Path.of(argument.substring(key.length()));
            }
        }
        return file;
    }
}
