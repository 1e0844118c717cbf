package io.opensase.classifiers.stream;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sink that keeps what each direction received and checks every call against what came before: the
 * repeated bytes in front of a chunk are the last bytes delivered (never across a gap), offsets run on without
 * a hole or a repeat, and each new byte arrives once.
 */
final class Recorder implements StreamSink
{
    /** One call, in order: a chunk (repeated and new bytes) or a gap. */
    record Event(int stream, int direction, boolean gap, long offset, long length, byte[] chunk, int newFrom)
    {
        String text()
        {
            return new String(chunk, StandardCharsets.ISO_8859_1);
        }
    }

    private final int inspectOverlap;
    private final Map<Integer, ByteArrayOutputStream> bytes = new HashMap<>();
    private final Map<Integer, ByteArrayOutputStream> sinceGap = new HashMap<>();
    private final Map<Integer, Long> position = new HashMap<>();
    final List<Event> events = new ArrayList<>();

    Recorder(final int inspectOverlap)
    {
        this.inspectOverlap = inspectOverlap;
    }

    @Override
    public void onData(final int stream, final int direction, final MemorySegment chunk, final int newFrom,
        final long chunkOffset)
    {
        final int key = 2 * stream + direction;
        final byte[] all = chunk.toArray(ValueLayout.JAVA_BYTE);
        assertTrue(newFrom >= 0 && newFrom <= inspectOverlap && newFrom < all.length,
            "newFrom " + newFrom + " of " + all.length);
        assertEquals(position(key), chunkOffset + newFrom, "new bytes start where the last call ended");
        final byte[] history = sinceGap.computeIfAbsent(key, k -> new ByteArrayOutputStream()).toByteArray();
        assertEquals(Math.min(inspectOverlap, history.length), newFrom, "bytes repeated in front");
        assertArrayEquals(Arrays.copyOfRange(history, history.length - newFrom, history.length),
            Arrays.copyOfRange(all, 0, newFrom), "repeated bytes are the last ones delivered");
        bytes.computeIfAbsent(key, k -> new ByteArrayOutputStream()).write(all, newFrom, all.length - newFrom);
        sinceGap.get(key).write(all, newFrom, all.length - newFrom);
        position.put(key, chunkOffset + all.length);
        events.add(new Event(stream, direction, false, chunkOffset, all.length, all, newFrom));
    }

    @Override
    public void onGap(final int stream, final int direction, final long offset, final long length)
    {
        final int key = 2 * stream + direction;
        assertEquals(position(key), offset, "a gap starts where the last call ended");
        assertTrue(length > 0, "gap length " + length);
        position.put(key, offset + length);
        sinceGap.put(key, new ByteArrayOutputStream());
        events.add(new Event(stream, direction, true, offset, length, null, 0));
    }

    /** The new bytes delivered in a direction, gaps left out. */
    byte[] bytes(final int stream, final int direction)
    {
        final ByteArrayOutputStream out = bytes.get(2 * stream + direction);
        return null == out ? new byte[0] : out.toByteArray();
    }

    /**
     * The direction's bytes with each gap written where it lies as {@code [N bytes missing in capture file]} and
     * a NUL, the way tshark 4.0's {@code follow,tcp,raw} prints a hole.
     */
    byte[] followed(final int stream, final int direction)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final Event event : events)
        {
            if (event.stream() == stream && event.direction() == direction)
            {
                if (event.gap())
                {
                    out.writeBytes(("[" + event.length() + " bytes missing in capture file]\0")
                        .getBytes(StandardCharsets.ISO_8859_1));
                }
                else
                {
                    out.write(event.chunk(), event.newFrom(), event.chunk().length - event.newFrom());
                }
            }
        }
        return out.toByteArray();
    }

    /** For each byte of {@link #followed}, its stream offset, or -1 inside a gap's marker. */
    long[] followedOffsets(final int stream, final int direction)
    {
        final List<Long> offsets = new ArrayList<>();
        for (final Event event : events)
        {
            if (event.stream() == stream && event.direction() == direction)
            {
                if (event.gap())
                {
                    final int marker = ("[" + event.length() + " bytes missing in capture file]\0").length();
                    for (int b = 0; b < marker; b++)
                    {
                        offsets.add(-1L);
                    }
                }
                else
                {
                    for (int b = event.newFrom(); b < event.chunk().length; b++)
                    {
                        offsets.add(event.offset() + b);
                    }
                }
            }
        }
        return offsets.stream().mapToLong(Long::longValue).toArray();
    }

    String text(final int stream, final int direction)
    {
        return new String(bytes(stream, direction), StandardCharsets.ISO_8859_1);
    }

    long position(final int stream, final int direction)
    {
        return position(2 * stream + direction);
    }

    private long position(final int key)
    {
        return position.getOrDefault(key, 0L);
    }

    List<Event> gaps()
    {
        return events.stream().filter(Event::gap).toList();
    }

    List<Event> chunks()
    {
        return events.stream().filter(e -> !e.gap()).toList();
    }
}
