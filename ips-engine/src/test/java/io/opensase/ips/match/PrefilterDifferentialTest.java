package io.opensase.ips.match;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every fast pattern of the shared ET Open rules (one literal per distinct buffer, bytes and nocase; 3,800
 * or so in 25 buffer groups, and all of them in one group as the benchmark uses them), scanned by both Java
 * algorithms and by Hyperscan over seeded random payloads, against a plain search at every position. The
 * payloads mix random bytes and HTTP-like text with planted literals: as written, with their case flipped
 * (a nocase literal must still match, a case-sensitive one only where the flip left it unchanged), chained
 * so that one literal's tail is the next one's head, at the very start and the very end of the buffer, and
 * cut one byte short. Each literal is planted at least once (the plants walk a shuffled list of the group).
 * All engines must report the same (literal id, end offset) pairs as the
 * plain search when reporting every match, and the same literal ids in single-match mode.
 */
class PrefilterDifferentialTest
{
    private static final long SEED = 0x5eed_1234L;
    private static final int MIN_PAYLOADS_PER_GROUP = 40;
    private static final String TEXT = "GET /index.php?id=1&user=admin HTTP/1.1\r\nHost: example\r\n"
        + "User-Agent: Mozilla/5.0 (Windows NT 10.0)\r\nAccept: */*\r\nCookie: a=b\r\n\r\n";

    private static List<List<Literal>> groups;
    private static Map<MatchTesting.Engine, Prefilter> all;
    private static Map<MatchTesting.Engine, Prefilter> single;

    @BeforeAll
    static void compile()
    {
        groups = MatchTesting.etOpenGroups();
        final List<Literal> every = new ArrayList<>();
        groups.forEach(every::addAll);
        // The last group holds every literal at once, as the benchmark's pattern set.
        groups.add(every.stream().map(l -> new Literal(l.id() + every.size(), l.bytes(), l.nocase())).toList());
        all = new EnumMap<>(MatchTesting.Engine.class);
        single = new EnumMap<>(MatchTesting.Engine.class);
        for (final MatchTesting.Engine engine : MatchTesting.Engine.values())
        {
            all.put(engine, engine.compile(groups, false));
            single.put(engine, engine.compile(groups, true));
        }
    }

    @AfterAll
    static void close()
    {
        all.values().forEach(Prefilter::close);
        single.values().forEach(Prefilter::close);
    }

    @Test
    void shouldAgreeWithAPlainSearchOnEveryEtOpenFastPattern()
    {
        final Random random = new Random(SEED);
        final Map<MatchTesting.Engine, PrefilterScanner> allScanners = new EnumMap<>(MatchTesting.Engine.class);
        final Map<MatchTesting.Engine, PrefilterScanner> singleScanners = new EnumMap<>(MatchTesting.Engine.class);
        all.forEach((e, p) -> allScanners.put(e, p.newScanner()));
        single.forEach((e, p) -> singleScanners.put(e, p.newScanner()));
        int literals = 0;
        long matches = 0;
        int payloads = 0;
        try (Arena arena = Arena.ofConfined())
        {
            for (int g = 0; g < groups.size(); g++)
            {
                final List<Literal> group = groups.get(g);
                literals += g < groups.size() - 1 ? group.size() : 0;
                if (group.isEmpty())
                {
                    continue;
                }
                final Map<String, List<Literal>> byHead = heads(group);
                final List<Literal> order = new ArrayList<>(group);
                Collections.shuffle(order, random);
                final int[] cursor = {0};
                for (int n = 0; n < MIN_PAYLOADS_PER_GROUP || cursor[0] < order.size(); n++)
                {
                    final byte[] data = payload(random, order, cursor, byHead);
                    final MemorySegment segment = random.nextBoolean() ? MemorySegment.ofArray(data)
                        : arena.allocate(Math.max(1, data.length)).copyFrom(MemorySegment.ofArray(data))
                            .asSlice(0, data.length);
                    final Set<Long> expected = MatchTesting.reference(group, data, data.length);
                    for (final MatchTesting.Engine engine : MatchTesting.Engine.values())
                    {
                        final int group1 = g;
                        assertEquals(expected, MatchTesting.scan(allScanners.get(engine), g, segment),
                            () -> engine + " group " + group1 + " payload "
                                + new String(data, StandardCharsets.ISO_8859_1));
                        assertEquals(MatchTesting.ids(expected),
                            MatchTesting.ids(MatchTesting.scan(singleScanners.get(engine), g, segment)),
                            () -> engine + " single-match, group " + group1);
                    }
                    matches += expected.size();
                    payloads++;
                }
            }
        }
        finally
        {
            allScanners.values().forEach(PrefilterScanner::close);
            singleScanners.values().forEach(PrefilterScanner::close);
        }
        System.out.printf("prefilter differential: %d literals, %d payloads, %d matches, identical in %s%n",
            literals, payloads, matches, List.of(MatchTesting.Engine.values()));
        assertTrue(literals > 3000, "literals " + literals);
        assertTrue(matches > 2L * payloads, "matches " + matches);
    }

    /** Literals by their first two folded bytes, to find ones that can be chained onto another's tail. */
    private static Map<String, List<Literal>> heads(final List<Literal> group)
    {
        final Map<String, List<Literal>> byHead = new HashMap<>();
        for (final Literal literal : group)
        {
            if (literal.length() >= 3)
            {
                byHead.computeIfAbsent(head(literal.bytes(), 0), k -> new ArrayList<>()).add(literal);
            }
        }
        return byHead;
    }

    private static String head(final byte[] bytes, final int from)
    {
        return "" + (char)MatchTesting.fold(bytes[from] & 0xFF) + (char)MatchTesting.fold(bytes[from + 1] & 0xFF);
    }

    /** Random bytes or text, with literals planted: the next ones of {@code order} from {@code cursor}. */
    private static byte[] payload(
        final Random random,
        final List<Literal> order,
        final int[] cursor,
        final Map<String, List<Literal>> byHead)
    {
        final int length = random.nextInt(8) == 0 ? random.nextInt(8) : 20 + random.nextInt(1600);
        final byte[] data = new byte[length];
        final boolean text = random.nextBoolean();
        for (int i = 0; i < length; i++)
        {
            data[i] = text && random.nextInt(8) != 0 ? (byte)TEXT.charAt(random.nextInt(TEXT.length()))
                : (byte)random.nextInt(256);
        }
        final int plants = 1 + random.nextInt(8);
        for (int p = 0; p < plants && length > 0; p++)
        {
            byte[] bytes = order.get(cursor[0]++ % order.size()).bytes();
            switch (random.nextInt(6))
            {
                case 0 -> flipCase(random, bytes);
                case 1 -> bytes = chained(random, bytes, byHead);
                case 2 -> bytes = Arrays.copyOf(bytes, Math.max(1, bytes.length - 1));
                default ->
                {
                }
            }
            if (bytes.length > length)
            {
                bytes = Arrays.copyOf(bytes, length);
            }
            final int at = switch (random.nextInt(4))
            {
                case 0 -> 0;
                case 1 -> length - bytes.length;
                default -> random.nextInt(length - bytes.length + 1);
            };
            System.arraycopy(bytes, 0, data, at, bytes.length);
        }
        return data;
    }

    private static void flipCase(final Random random, final byte[] bytes)
    {
        for (int i = 0; i < bytes.length; i++)
        {
            final int b = bytes[i] & 0xFF;
            if (random.nextBoolean() && ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')))
            {
                bytes[i] = (byte)(b ^ 0x20);
            }
        }
    }

    /** {@code first} followed by the rest of a literal whose first two bytes are {@code first}'s last two. */
    private static byte[] chained(final Random random, final byte[] first, final Map<String, List<Literal>> byHead)
    {
        if (first.length < 2)
        {
            return first;
        }
        final List<Literal> next = byHead.get(head(first, first.length - 2));
        if (null == next)
        {
            return first;
        }
        final byte[] second = next.get(random.nextInt(next.size())).bytes();
        final byte[] both = Arrays.copyOf(first, first.length + second.length - 2);
        System.arraycopy(second, 2, both, first.length, second.length - 2);
        return both;
    }
}
