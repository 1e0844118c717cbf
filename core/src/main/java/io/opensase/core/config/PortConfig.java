package io.opensase.core.config;

import java.nio.file.Path;

/**
 * One port of the engine. A {@code pcap} port reads a capture file and, when {@code tx} is given, writes
 * what the engine transmits to another capture with the same link type; without {@code tx} transmitted
 * packets are counted and discarded.
 *
 * @param name      unique port name.
 * @param rxCapture capture read from.
 * @param txCapture capture written, or null.
 */
public record PortConfig(String name, Path rxCapture, Path txCapture)
{
}
