package io.opensase.benchmarks.ips;

import io.opensase.benchmarks.support.SharedData;
import io.opensase.classifiers.capture.CaptureReader;
import io.opensase.classifiers.capture.Captures;
import io.opensase.classifiers.parse.LayerType;
import io.opensase.classifiers.parse.PacketMemory;
import io.opensase.classifiers.parse.PacketParser;
import io.opensase.classifiers.parse.ParsedPackets;
import io.opensase.ips.match.FastPattern;
import io.opensase.ips.match.Literal;
import io.opensase.ips.rules.Buffer;
import io.opensase.ips.rules.Rule;
import io.opensase.ips.rules.RuleSet;
import io.opensase.ips.rules.RuleSetLoader;
import io.opensase.ips.rules.Variables;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The inputs of the IPS benchmarks, built at setup: the shared ET Open rules, their fast patterns as
 * literal sets, and the L4 payload bytes of every shared capture cut into payloads of one size in native
 * memory (as packet buffers are).
 */
final class IpsData
{
    /** Pattern set: one literal per distinct fast pattern of the loaded rules, all in one group. */
    static final String ALL = "all";
    /** Pattern set: the fast patterns of the rules that inspect {@code pkt_data}, the payload's group. */
    static final String PKT_DATA = "pkt_data";

    private IpsData()
    {
    }

    static RuleSet etOpen()
    {
        try
        {
            return RuleSetLoader.load(SharedData.root().resolve("ids-rules/et-open"), Variables.suricataDefaults());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * The fast patterns of {@code rules} (one per distinct bytes and nocase; a negated one too, as it is a
     * rule's fast pattern all the same), all of them or those of {@code pkt_data} rules only.
     */
    static List<Literal> literals(final List<Rule> rules, final String set)
    {
        final Map<String, Literal> literals = new LinkedHashMap<>();
        for (final Rule rule : rules)
        {
            final FastPattern fast = FastPattern.of(rule);
            if (null == fast || (PKT_DATA.equals(set) && fast.buffer() != Buffer.PAYLOAD))
            {
                continue;
            }
            if (!ALL.equals(set) && !PKT_DATA.equals(set))
            {
                throw new IllegalArgumentException("pattern set '" + set + "': all or pkt_data");
            }
            final String key = fast.nocase() + Arrays.toString(fast.bytes());
            literals.putIfAbsent(key, new Literal(literals.size(), fast.bytes(), fast.nocase()));
        }
        return new ArrayList<>(literals.values());
    }

    /** Every TCP and UDP payload byte of every shared capture, in capture order. */
    static byte[] payloadBytes()
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final PacketParser parser = new PacketParser();
        final ParsedPackets parsed = new ParsedPackets(1);
        for (final Path file : SharedData.captures(SharedData.ALL))
        {
            try (CaptureReader reader = Captures.open(file))
            {
                while (reader.next())
                {
                    if (null == reader.linkType())
                    {
                        continue;
                    }
                    parser.parse(PacketMemory.ALL, reader.dataAddress(), reader.capturedLength(),
                        reader.wireLength(), reader.linkType(), parsed, 0);
                    final int start = payloadStart(parsed, reader.dataAddress());
                    if (start > 0 && start < reader.capturedLength())
                    {
                        final byte[] bytes = new byte[reader.capturedLength() - start];
                        MemorySegment.copy(PacketMemory.ALL, ValueLayout.JAVA_BYTE, reader.dataAddress() + start,
                            bytes, 0, bytes.length);
                        out.write(bytes, 0, bytes.length);
                    }
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                // A capture cut short keeps the packets read before the fault; the rest is skipped.
            }
        }
        return out.toByteArray();
    }

    /** Offset of the payload after the packet's own (not quoted) TCP or UDP header, or -1. */
    static int payloadStart(final ParsedPackets parsed, final long address)
    {
        for (int layer = parsed.layerCount(0) - 1; layer >= 0; layer--)
        {
            final int stored = parsed.layerType(0, layer);
            if (LayerType.isQuoted(stored))
            {
                continue;
            }
            final int offset = parsed.layerOffset(0, layer);
            return switch (LayerType.of(stored))
            {
                case TCP ->
                    offset + 4 * ((PacketMemory.ALL.get(ValueLayout.JAVA_BYTE, address + offset + 12) >> 4) & 0xF);
                case UDP -> offset + 8;
                default -> -1;
            };
        }
        return -1;
    }

    /**
     * {@code count} payloads of {@code size} bytes cut from {@code bytes} one after the other (wrapping
     * around), each on a 64-byte boundary in {@code arena}.
     */
    static MemorySegment[] payloads(final byte[] bytes, final int size, final int count, final Arena arena)
    {
        final MemorySegment[] payloads = new MemorySegment[count];
        long at = 0;
        for (int p = 0; p < count; p++)
        {
            final MemorySegment payload = arena.allocate(size, 64);
            for (int i = 0; i < size; i++)
            {
                payload.set(ValueLayout.JAVA_BYTE, i, bytes[(int)(at++ % bytes.length)]);
            }
            payloads[p] = payload;
        }
        return payloads;
    }
}
