package io.opensase.core.config;

import java.nio.file.Path;

/**
 * A port on the pure-Java path: reads a capture file and, when {@code txCapture} is given, writes what the
 * engine transmits to another capture with the same link type; without it, transmitted packets are counted
 * and discarded.
 *
 * @param rxCapture capture read from.
 * @param txCapture capture written, or null.
 */
public record CapturePortConfig(String name, Path rxCapture, Path txCapture) implements PortConfig
{
    @Override
    public String input()
    {
        return rxCapture.toString();
    }

    @Override
    public String output()
    {
        return null == txCapture ? null : txCapture.toString();
    }
}
