package io.opensase.core.metrics;

import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The layout of the memory-mapped stats file, shared by {@link StatsFileWriter} and {@link StatsFileReader}.
 * Little-endian throughout; every offset is in bytes from the start of the file.
 *
 * <pre>
 *   0  8  magic "OPENSASE"            written once, before the file takes its name
 *   8  4  kind "STAT"
 *  12  4  version (1)
 *  16  4  number of values N
 *  20  4  bytes per name record (64)
 *  24  4  offset of the name records (128)
 *  28  4  offset of the values (128 + 64 N)
 *  32  8  pid of the engine writing the file
 *  40  8  when the file was made, ns since the epoch
 *  48  8  update interval, ms
 *  56  8  (zero)
 *  64  8  sequence: odd while an update is under way, even between updates
 *  72  8  time of the last update, ns since the epoch      (updated under the sequence)
 *  80  8  state: 0 starting, 1 running, 2 stopped        (updated under the sequence)
 *  88 40  (zero)
 * 128     N name records of 64 bytes: kind (1 counter, 2 gauge), name length L (1..62), L bytes of name
 *         (a-z 0-9 _ .), zeros
 * 128 + 64 N: N values, 8 bytes each, in name order                (updated under the sequence)
 * </pre>
 *
 * A reader takes the sequence (acquire), copies the update time, state and values, and takes the sequence
 * again after a load fence: the copy is whole when both readings are the same even number, torn otherwise
 * (then it reads again). The writer makes the sequence odd, fences stores, writes, then makes it even with a
 * release store. Only the engine's stats sampler writes; packet threads never touch the file.
 */
public final class StatsFile
{
    public static final int VERSION = 1;
    public static final int HEADER_BYTES = 128;
    public static final int NAME_RECORD_BYTES = 64;
    public static final int KIND_COUNTER = 1;
    public static final int KIND_GAUGE = 2;
    public static final int STATE_STARTING = 0;
    public static final int STATE_RUNNING = 1;
    public static final int STATE_STOPPED = 2;

    static final byte[] MAGIC = "OPENSASESTAT".getBytes(StandardCharsets.US_ASCII);
    static final long VERSION_OFFSET = 12;
    static final long COUNT_OFFSET = 16;
    static final long NAME_BYTES_OFFSET = 20;
    static final long NAMES_OFFSET_OFFSET = 24;
    static final long VALUES_OFFSET_OFFSET = 28;
    static final long PID_OFFSET = 32;
    static final long CREATED_OFFSET = 40;
    static final long INTERVAL_OFFSET = 48;
    static final long SEQUENCE_OFFSET = 64;
    static final long UPDATED_OFFSET = 72;
    static final long STATE_OFFSET = 80;

    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** The sequence word, with coordinates (segment, offset). */
    static final VarHandle SEQUENCE = LONG.varHandle();

    /** Files with more values than this are refused as corrupt. */
    static final int MAX_VALUES = 1 << 16;

    private StatsFile()
    {
    }

    static long valuesOffset(final int count)
    {
        return HEADER_BYTES + (long)NAME_RECORD_BYTES * count;
    }

    static long size(final int count)
    {
        return valuesOffset(count) + 8L * count;
    }

    /** The wall-clock time now, in nanoseconds since the epoch. */
    static long epochNs()
    {
        final java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** The state's name as {@code opensase stats} prints it. */
    public static String stateName(final int state)
    {
        return switch (state)
        {
            case STATE_STARTING -> "starting";
            case STATE_RUNNING -> "running";
            case STATE_STOPPED -> "stopped";
            default -> "state " + state;
        };
    }
}
