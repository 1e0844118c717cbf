package io.opensase.ips.match;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.regex.Matcher;

/**
 * One worker's verification of buffer inspections, following Suricata's content inspection engine step by
 * step: each keyword either fails (0), fails so that no earlier keyword needs to be searched again (-1), or
 * holds and hands the position of its match to the next keyword (a relative keyword counts from there). A
 * content or pcre that a later relative keyword is anchored to ({@link CompiledRule.Step#retry}) is searched
 * again from one past the start of its previous match when the rest fails; at most
 * {@value #RECURSION_LIMIT} keyword evaluations per inspection, as Suricata's default limit, and then the
 * inspection fails.
 * <p>
 * The byte keywords read numbers as Suricata does and keep {@code byte_extract} values in the worker's
 * variable slots for later keywords; {@code base64_decode} decodes into the worker's buffer and inspects the
 * rule's {@code base64_data} keywords there; {@code dataset} looks up or changes a set shared by all workers.
 * None of them allocates.
 * <p>
 * Pcre runs on at most {@code subjectLimit} bytes of its subject, and the pcres of one inspection read at
 * most {@code pcreBudget} characters between them ({@link ByteChars}): a match that spends the budget, or
 * that overflows the stack in {@code java.util.regex}, is aborted and counts as no match (as a PCRE2
 * match-limit error does in Suricata), and is counted. Owned by one thread.
 */
final class Inspector
{
    static final int RECURSION_LIMIT = 3000;

    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
    private static final byte[] FOLD = new byte[256];
    /** For a folded byte: the other byte that folds to it (its other case), or itself. */
    private static final int[] OTHER_CASE = new int[256];
    private static final ValueLayout.OfLong LE_LONG =
        ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101_0101_0101_0101L;
    private static final long HIGHS = 0x8080_8080_8080_8080L;

    static
    {
        for (int b = 0; b < 256; b++)
        {
            FOLD[b] = (byte)AhoCorasick.fold(b);
            OTHER_CASE[b] = b;
        }
        for (int b = 0; b < 256; b++)
        {
            final int folded = FOLD[b] & 0xFF;
            if (folded != b)
            {
                OTHER_CASE[folded] = b;
            }
        }
    }

    private final Matcher[] matchers;
    private final ByteChars[] subjects;
    private final int subjectLimit;
    private final long pcreBudget;
    /** Character reads the pcres of the current inspection may still make. */
    private long pcreBudgetLeft;
    /** The {@code byte_extract} variables of the rule being inspected, by slot. */
    private final long[] variables;
    private final NumberReader numbers = new NumberReader();
    private final Base64Decoder base64 = new Base64Decoder();
    private final StringBuilder datasetKey = new StringBuilder(256);
    private final ContentOccurrences occurrences;
    /** Where the inspected buffer starts in the segment the keywords read: positions count from here. */
    private long origin;
    /** False while the keywords of a {@code base64_data} inspection run: they are not the inspection's own. */
    private boolean topLevel;
    private int recursion;
    private long pcreErrors;
    private long pcreBudgetSpent;
    private long recursionLimitHits;

    Inspector(final List<CompiledRule> rules, final int pcreSlots, final int subjectLimit, final long pcreBudget)
    {
        this.matchers = new Matcher[pcreSlots];
        this.subjects = new ByteChars[pcreSlots];
        this.subjectLimit = subjectLimit;
        this.pcreBudget = pcreBudget;
        int maxVariables = 0;
        int maxSteps = 0;
        for (final CompiledRule rule : rules)
        {
            maxVariables = Math.max(maxVariables, rule.rule.variables().size());
            for (final CompiledRule.Inspection inspection : rule.inspections)
            {
                addMatchers(inspection.steps);
                maxSteps = Math.max(maxSteps, inspection.steps.length);
            }
        }
        this.variables = new long[maxVariables];
        this.occurrences = new ContentOccurrences(maxSteps);
    }

    private void addMatchers(final CompiledRule.Step[] steps)
    {
        for (final CompiledRule.Step step : steps)
        {
            if (step.kind == CompiledRule.Step.PCRE)
            {
                subjects[step.slot] = new ByteChars();
                matchers[step.slot] = step.regex.matcher(subjects[step.slot]);
                matchers[step.slot].useTransparentBounds(true);
                matchers[step.slot].useAnchoringBounds(false);
            }
            else if (step.kind == CompiledRule.Step.BASE64_DECODE && null != step.decoded)
            {
                addMatchers(step.decoded);
            }
        }
    }

    /**
     * True when every keyword of {@code steps} holds on the buffer of {@code length} bytes at {@code offset}
     * of {@code data}.
     */
    boolean inspect(final CompiledRule.Step[] steps, final MemorySegment data, final long offset, final int length)
    {
        return inspect(steps, data, offset, length, true);
    }

    /** {@link #inspect} without the forward chain's proof: Suricata's walk alone (and the tests' reference). */
    boolean inspectByWalking(
        final CompiledRule.Step[] steps, final MemorySegment data, final long offset, final int length)
    {
        return inspect(steps, data, offset, length, false);
    }

    private boolean inspect(
        final CompiledRule.Step[] steps,
        final MemorySegment data,
        final long offset,
        final int length,
        final boolean proveChains)
    {
        if (0 == steps.length)
        {
            return true;
        }
        origin = offset;
        topLevel = true;
        occurrences.start();
        if (proveChains && 0 != steps[0].chain && forwardChainFails(steps, data, length))
        {
            return false;
        }
        return walk(steps, data, length);
    }

    /**
     * True when the inspection cannot hold: the rest after its forward chain ({@link CompiledRule#forwardChain})
     * holds after no occurrence of the chain's last content found from the chain's earliest end, or the chain
     * itself is not there. False when that is not proven: some occurrence's rest held (the walk then decides,
     * so that Suricata's order and recursion limit pick the same answer), or the proof ran into the recursion
     * limit or a pcre abort; the pcre counters are then as before it. Each occurrence's rest is tried once,
     * where the walk tries it once per combination of the earlier contents' occurrences.
     */
    private boolean forwardChainFails(final CompiledRule.Step[] steps, final MemorySegment data, final int length)
    {
        recursion = 0;
        pcreBudgetLeft = pcreBudget;
        final long errorsBefore = pcreErrors;
        final long budgetSpentBefore = pcreBudgetSpent;
        final int last = steps[0].chain - 1;
        int position = 0;
        for (int k = 0; k < last; k++)
        {
            final int found = firstInWindow(steps, k, data, length, chainWindowStart(steps[k], position));
            if (found < 0)
            {
                return true;
            }
            position = found + steps[k].pattern.length;
        }
        int from = chainWindowStart(steps[last], position);
        while (true)
        {
            final int found = firstInWindow(steps, last, data, length, from);
            if (found < 0)
            {
                return true;
            }
            final int r = step(steps, last + 1, data, length, found + steps[last].pattern.length);
            if (1 == r || recursion >= RECURSION_LIMIT || pcreBudgetLeft < 0 || pcreErrors != errorsBefore)
            {
                pcreErrors = errorsBefore;
                pcreBudgetSpent = budgetSpentBefore;
                return false;
            }
            from = found + 1;
        }
    }

    /** Where a chain content's window starts after {@code position}, as {@link #content} computes it. */
    private static int chainWindowStart(final CompiledRule.Step s, final int position)
    {
        if (!s.relative)
        {
            return s.offset;
        }
        return s.distance < 0 && -s.distance > position ? 0 : position + s.distance;
    }

    /** The first occurrence of chain content {@code k} from {@code offset} to the end of its window, or -1. */
    private int firstInWindow(
        final CompiledRule.Step[] steps, final int k, final MemorySegment data, final int length, final int offset)
    {
        final CompiledRule.Step s = steps[k];
        int depth = !s.relative && 0 != s.depth ? s.depth : length;
        if (Integer.compareUnsigned(depth, length) > 0)
        {
            depth = length;
        }
        if (Integer.compareUnsigned(offset, depth) > 0 || 0 == depth || s.pattern.length > depth - offset)
        {
            return -1;
        }
        return occurrences.find(k, data, origin, offset, depth, s.pattern, s.nocase);
    }

    private boolean walk(final CompiledRule.Step[] steps, final MemorySegment data, final int length)
    {
        recursion = 0;
        pcreBudgetLeft = pcreBudget;
        final int r = step(steps, 0, data, length, 0);
        if (recursion >= RECURSION_LIMIT)
        {
            recursionLimitHits++;
        }
        return 1 == r;
    }

    long pcreErrors()
    {
        return pcreErrors;
    }

    /** Pcre matches aborted for spending the inspection's character budget. */
    long pcreBudgetSpent()
    {
        return pcreBudgetSpent;
    }

    long recursionLimitHits()
    {
        return recursionLimitHits;
    }

    private int step(
        final CompiledRule.Step[] steps,
        final int k,
        final MemorySegment data,
        final int length,
        final int position)
    {
        if (++recursion == RECURSION_LIMIT)
        {
            return -1;
        }
        final CompiledRule.Step s = steps[k];
        return switch (s.kind)
        {
            case CompiledRule.Step.CONTENT -> content(steps, k, data, length, position);
            case CompiledRule.Step.PCRE -> pcre(steps, k, data, length, position);
            case CompiledRule.Step.ISDATAAT -> isDataAt(steps, k, data, length, position);
            case CompiledRule.Step.BYTE_TEST -> byteTest(s, data, length, position)
                ? next(steps, k, data, length, position) : 0;
            case CompiledRule.Step.BYTE_JUMP -> byteJump(steps, k, data, length, position);
            case CompiledRule.Step.BYTE_EXTRACT -> byteExtract(steps, k, data, length, position);
            case CompiledRule.Step.BASE64_DECODE -> base64Decode(s, data, length, position);
            case CompiledRule.Step.DATASET -> dataset(s, data, length) ? next(steps, k, data, length, position) : -1;
            default -> s.size.test(length) ? next(steps, k, data, length, position) : -1;
        };
    }

    /** The keyword at {@code k} held: the rest decides, or the inspection holds when it was the last. */
    private int next(
        final CompiledRule.Step[] steps,
        final int k,
        final MemorySegment data,
        final int length,
        final int position)
    {
        return k + 1 == steps.length ? 1 : step(steps, k + 1, data, length, position);
    }

    private int content(
        final CompiledRule.Step[] steps,
        final int k,
        final MemorySegment data,
        final int length,
        final int position)
    {
        final CompiledRule.Step s = steps[k];
        final int patternLength = s.pattern.length;
        int retryFrom = 0;
        while (true)
        {
            // The window, computed as Suricata does in unsigned 32-bit arithmetic.
            int depth = length;
            int offset;
            if (s.relative)
            {
                offset = position;
                // A variable is cut to its low 32 bits, as Suricata casts it.
                final int distance = s.distanceSlot < 0 ? s.distance : (int)variables[s.distanceSlot];
                if (s.hasDistance)
                {
                    offset = distance < 0 && -distance > offset ? 0 : offset + distance;
                }
                final int within = s.withinSlot < 0 ? s.within : (int)variables[s.withinSlot];
                if (s.hasWithin && depth > position + within + distance)
                {
                    depth = position + within + distance;
                }
            }
            else if (s.offsetSlot < 0 && s.depthSlot < 0)
            {
                if (0 != s.depth)
                {
                    depth = s.depth;
                }
                offset = s.offset;
            }
            else
            {
                // Suricata, with a variable offset or depth: the depth counts from the offset.
                offset = s.offsetSlot < 0 ? s.offset : (int)variables[s.offsetSlot];
                if (s.hasDepth)
                {
                    depth = s.depthSlot < 0 ? s.depthLength : (int)variables[s.depthSlot];
                }
                depth += offset;
            }
            if (0 != retryFrom)
            {
                offset = retryFrom;
            }
            if (Integer.compareUnsigned(depth, length) > 0)
            {
                depth = length;
            }
            if (Integer.compareUnsigned(offset, depth) > 0 || 0 == depth)
            {
                return s.negated ? next(steps, k, data, length, position) : 0;
            }
            final int window = depth - offset;
            final int found;
            if ((s.endsWith && depth < length) || patternLength > window)
            {
                found = -1;
            }
            else
            {
                found = topLevel ? occurrences.find(k, data, origin, offset, depth, s.pattern, s.nocase)
                    : search(data, origin, offset, depth, s.pattern, s.nocase);
            }

            if (found < 0)
            {
                if (s.negated)
                {
                    return next(steps, k, data, length, position);
                }
                return s.relative ? 0 : -1;
            }
            final int end = found + patternLength;
            if (s.negated)
            {
                // Suricata compares the window's length with the absolute end here; kept as it is.
                if (s.endsWith && window != end)
                {
                    return next(steps, k, data, length, position);
                }
                return s.single ? -1 : 0;
            }
            if (!s.endsWith || end == length)
            {
                if (k + 1 == steps.length)
                {
                    return 1;
                }
                final int r = step(steps, k + 1, data, length, end);
                if (r != 0)
                {
                    return r;
                }
                if (!s.retry)
                {
                    return -1;
                }
            }
            retryFrom = end - (patternLength - 1);
        }
    }

    private int pcre(
        final CompiledRule.Step[] steps,
        final int k,
        final MemorySegment data,
        final int length,
        final int position)
    {
        if (pcreBudgetLeft < 0)
        {
            // An earlier pcre of this inspection spent the budget (a base64_data one may be asked again).
            return -1;
        }
        final CompiledRule.Step s = steps[k];
        final Matcher matcher = matchers[s.slot];
        final ByteChars subject = subjects[s.slot];
        final int base = s.relative ? position : 0;
        final int subjectLength = Math.min(length - base, subjectLimit);
        int startAt = 0;
        while (true)
        {
            final int from = 0 == startAt ? 0 : startAt - base;
            boolean error = from > subjectLength;
            boolean found = false;
            if (!error)
            {
                matcher.reset(subject.point(data, origin + base, subjectLength, pcreBudgetLeft));
                if (0 != from)
                {
                    matcher.region(from, subjectLength);
                }
                try
                {
                    found = null == s.pattern ? matcher.find() : findAtPrefix(matcher, s, data, from, subjectLength);
                }
                catch (final ByteChars.BudgetSpent ex)
                {
                    // The rest of the inspection would have no budget left either: it fails as a whole.
                    pcreBudgetSpent++;
                    pcreBudgetLeft = -1;
                    return -1;
                }
                catch (final StackOverflowError ex)
                {
                    pcreErrors++;
                    error = true;
                }
                pcreBudgetLeft = subject.budget();
            }
            if (error || found == s.negated)
            {
                return 0;
            }
            final int end = s.negated ? position : base + matcher.end();
            final int nextStart = s.negated ? 0 : base + matcher.start() + 1;
            if (!s.retry)
            {
                return next(steps, k, data, length, end);
            }
            final int r = k + 1 == steps.length ? 1 : step(steps, k + 1, data, length, end);
            if (r != 0)
            {
                return r;
            }
            if (0 == nextStart)
            {
                return 0;
            }
            startAt = nextStart;
        }
    }

    /**
     * {@code matcher.find()} from {@code from} for a pcre whose every match starts with the literal
     * {@code s.pattern} ({@link io.opensase.ips.rules.pcre.PcrePrefix}): the expression is tried only where
     * the literal occurs, in order, so the first place it holds is the leftmost match, as find's. Transparent
     * bounds let it look behind.
     */
    private boolean findAtPrefix(final Matcher matcher, final CompiledRule.Step s, final MemorySegment data,
        final int from, final int subjectLength)
    {
        int at = from;
        while ((at = search(data, origin, at, subjectLength, s.pattern, s.nocase)) >= 0)
        {
            matcher.region(at, subjectLength);
            if (matcher.lookingAt())
            {
                return true;
            }
            at++;
        }
        return false;
    }

    private int isDataAt(
        final CompiledRule.Step[] steps,
        final int k,
        final MemorySegment data,
        final int length,
        final int position)
    {
        final CompiledRule.Step s = steps[k];
        long dataAt = s.dataAt;
        if (s.dataAtSlot >= 0)
        {
            // Suricata: an extracted position of 100,000,000 or more is never data.
            dataAt = variables[s.dataAtSlot];
            if (Long.compareUnsigned(dataAt, 100_000_000L) >= 0)
            {
                return s.negated ? next(steps, k, data, length, position) : 0;
            }
        }
        final boolean present = s.relative ? position + dataAt <= length : dataAt < length;
        if (present != s.negated)
        {
            return next(steps, k, data, length, position);
        }
        // A failure with a variable position may hold for another earlier match; a constant one cannot.
        return (s.relative && s.negated) || s.dataAtSlot >= 0 ? 0 : -1;
    }

    /**
     * Where a byte keyword reads: {@code start} in the buffer, with {@code available} bytes from there to its
     * end; Suricata's checks, so a relative read needs data after the position.
     *
     * @return the start, or -1 when the keyword fails.
     */
    private int readStart(final CompiledRule.Step s, final int length, final int position)
    {
        if (0 == length)
        {
            return -1;
        }
        final long offset = s.numberOffsetSlot < 0 ? s.numberOffset : (int)variables[s.numberOffsetSlot];
        final long start = s.relative ? (long)position + offset : offset;
        final long available = length - start;
        if (s.relative && available <= 0 && (s.kind != CompiledRule.Step.BYTE_JUMP || 0 != s.bytes))
        {
            return -1;
        }
        if (start < 0 || s.bytes > available)
        {
            return -1;
        }
        return (int)start;
    }

    /**
     * Reads the keyword's number at {@code start} into {@link NumberReader#value}.
     *
     * @return the bytes read, or -1 when the text is no number.
     */
    private int readNumber(final CompiledRule.Step s, final MemorySegment data, final int length, final int start)
    {
        if (s.base == CompiledRule.Step.BINARY)
        {
            numbers.value = NumberReader.binary(data, origin + start, s.bytes, s.bigEndian);
            return s.bytes;
        }
        // 0 bytes: the digits up to the end of the buffer.
        final int limit = 0 == s.bytes ? length : start + s.bytes;
        return numbers.text(data, origin, start, limit, s.base);
    }

    /** The value after {@code bitmask}: masked, then shifted right by the mask's trailing zero bits. */
    private static long masked(final CompiledRule.Step s, final long value)
    {
        if (0 == s.bitmask)
        {
            return value;
        }
        final long v = value & s.bitmask;
        return 0 == v ? 0 : v >>> s.bitmaskShift;
    }

    private boolean byteTest(final CompiledRule.Step s, final MemorySegment data, final int length, final int position)
    {
        final int start = readStart(s, length, position);
        if (start < 0 || readNumber(s, data, length, start) <= 0)
        {
            return false;
        }
        final long v = masked(s, numbers.value);
        final long value = s.valueSlot < 0 ? s.value : variables[s.valueSlot];
        final boolean holds = switch (s.operator)
        {
            case LT -> Long.compareUnsigned(v, value) < 0;
            case GT -> Long.compareUnsigned(v, value) > 0;
            case EQ -> v == value;
            case LE -> Long.compareUnsigned(v, value) <= 0;
            case GE -> Long.compareUnsigned(v, value) >= 0;
            case AND -> 0 != (v & value);
            case XOR -> 0 != (v ^ value);
        };
        return holds != s.negated;
    }

    private int byteJump(
        final CompiledRule.Step[] steps,
        final int k,
        final MemorySegment data,
        final int length,
        final int position)
    {
        final CompiledRule.Step s = steps[k];
        final int start = readStart(s, length, position);
        if (start < 0)
        {
            return 0;
        }
        int read = 0;
        numbers.value = 0;
        if (0 != s.bytes)
        {
            read = readNumber(s, data, length, start);
            if (read <= 0)
            {
                return 0;
            }
        }
        long jump = masked(s, numbers.value) * s.multiplier;
        if (4 == s.align && 0 != jump % 4)
        {
            jump += 4 - jump % 4;
        }
        jump += s.postOffset;
        final long target = switch (s.from)
        {
            case CompiledRule.Step.FROM_BEGINNING -> jump;
            case CompiledRule.Step.FROM_END -> length + jump;
            default -> start + read + jump;
        };
        if (target > length)
        {
            return 0;
        }
        // Suricata moves a jump before the buffer start to the start.
        return next(steps, k, data, length, target < 0 ? 0 : (int)target);
    }

    private int byteExtract(
        final CompiledRule.Step[] steps,
        final int k,
        final MemorySegment data,
        final int length,
        final int position)
    {
        final CompiledRule.Step s = steps[k];
        final int start = readStart(s, length, position);
        if (start < 0)
        {
            return 0;
        }
        final int read = readNumber(s, data, length, start);
        if (read <= 0)
        {
            return 0;
        }
        long value = numbers.value * s.multiplier;
        if (0 != s.align && 0 != Long.remainderUnsigned(value, s.align))
        {
            value += s.align - Long.remainderUnsigned(value, s.align);
        }
        variables[s.variable] = value;
        return next(steps, k, data, length, start + read);
    }

    /**
     * Decodes base64 from the buffer and inspects the decoded bytes with the rule's {@code base64_data}
     * keywords. Suricata treats them as the end of the inspection: a match holds the whole inspection, and
     * anything else is a failure from which earlier keywords may retry.
     */
    private int base64Decode(final CompiledRule.Step s, final MemorySegment data, final int length, final int position)
    {
        int from = s.relative ? position : 0;
        int available = length - from;
        if (0 != s.decodeOffset)
        {
            if (s.decodeOffset >= available)
            {
                return 0;
            }
            from += s.decodeOffset;
            available -= s.decodeOffset;
        }
        final int decoded = available > 0 ? base64.decode(data, origin + from, Math.min(available, s.decodeBytes))
            : 0;
        if (0 == decoded || null == s.decoded)
        {
            return 0;
        }
        // The decoded bytes are a buffer of their own; a failure lets earlier keywords retry on this one.
        final long buffer = origin;
        final boolean outer = topLevel;
        origin = 0;
        topLevel = false;
        final int r = step(s.decoded, 0, base64.segment, decoded, 0);
        origin = buffer;
        topLevel = outer;
        return 1 == r ? 1 : 0;
    }

    private boolean dataset(final CompiledRule.Step s, final MemorySegment data, final int length)
    {
        if (0 == length)
        {
            return false;
        }
        return switch (s.command)
        {
            case ISSET -> s.dataset.contains(data, origin, length, datasetKey);
            case ISNOTSET -> !s.dataset.contains(data, origin, length, datasetKey);
            case SET -> s.dataset.add(data, origin, length, datasetKey);
            case UNSET -> s.dataset.remove(data, origin, length, datasetKey);
        };
    }

    /**
     * First index in [from, to - pattern.length] where {@code pattern} occurs in the buffer that starts at
     * {@code origin} of {@code data}, or -1.
     */
    static int search(
        final MemorySegment data,
        final long origin,
        final int from,
        final int to,
        final byte[] pattern,
        final boolean nocase)
    {
        final int last = to - pattern.length;
        final int first = pattern[0] & 0xFF;
        final long first8 = ONES * first;
        final long other8 = ONES * (nocase ? OTHER_CASE[first] : first);
        int i = from;
        // Eight bytes at a time while a whole word fits: find the next byte equal to the pattern's first
        // (either case), then compare the rest there.
        while (i + Long.BYTES - 1 <= last)
        {
            final long word = data.get(LE_LONG, origin + i);
            final long hits = zeroBytes(word ^ first8) | zeroBytes(word ^ other8);
            if (0 == hits)
            {
                i += Long.BYTES;
                continue;
            }
            i += Long.numberOfTrailingZeros(hits) >>> 3;
            if (matchesAt(data, origin + i, pattern, nocase))
            {
                return i;
            }
            i++;
        }
        for (; i <= last; i++)
        {
            final byte b = data.get(BYTE, origin + i);
            if ((nocase ? FOLD[b & 0xFF] : b) == pattern[0] && matchesAt(data, origin + i, pattern, nocase))
            {
                return i;
            }
        }
        return -1;
    }

    /** True when {@code pattern} (folded when {@code nocase}) is at {@code at}; its first byte is known equal. */
    private static boolean matchesAt(final MemorySegment data, final long at, final byte[] pattern,
        final boolean nocase)
    {
        for (int j = 1; j < pattern.length; j++)
        {
            final byte c = data.get(BYTE, at + j);
            if ((nocase ? FOLD[c & 0xFF] : c) != pattern[j])
            {
                return false;
            }
        }
        return true;
    }

    /**
     * The high bit of each zero byte of {@code v} set (and possibly of bytes above the lowest zero byte, which
     * the search never relies on: it takes the lowest and checks it).
     */
    private static long zeroBytes(final long v)
    {
        return (v - ONES) & ~v & HIGHS;
    }
}
