package io.opensase.ips.dlp;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.opensase.ips.dlp.ByteClass.AT;
import static io.opensase.ips.dlp.ByteClass.CLASS;
import static io.opensase.ips.dlp.ByteClass.DIGIT;
import static io.opensase.ips.dlp.ByteClass.DOT;
import static io.opensase.ips.dlp.ByteClass.LETTERS;
import static io.opensase.ips.dlp.ByteClass.LONG;
import static io.opensase.ips.dlp.ByteClass.LOWER;
import static io.opensase.ips.dlp.ByteClass.MAX_WORD;
import static io.opensase.ips.dlp.ByteClass.SEPARATOR;
import static io.opensase.ips.dlp.ByteClass.TOKEN;
import static io.opensase.ips.dlp.ByteClass.UNDERSCORE;
import static io.opensase.ips.dlp.ByteClass.UPPER;
import static io.opensase.ips.dlp.ByteClass.WORD;

/**
 * Scans message bodies of many flows for one worker thread. Bytes of a message may arrive in any number of
 * {@link #scan} calls: each flow carries its last 128 bytes, its last eight words and any open token, so a
 * value split across calls is found as if it came whole. {@link #endMessage} closes what is still open.
 *
 * <p>Per byte the scanner classifies the byte, extends or ends the current word and token, and steps the
 * keyword automaton. Identifier detectors run when a word ends, over the chain of words before it that are
 * joined by one space or dash; secret detectors when a token ends. Nothing is allocated in steady state
 * except when an EDM candidate passes the table's prefilter: the HMAC and the map lookup allocate (about 225
 * bytes). Not thread-safe: one per thread.
 *
 * <p>The caller guarantees that a flow id passed to {@code scan}, {@code endMessage} and {@code blocked} came
 * from {@link #openFlow} and has not been closed; ids are not checked on the per-byte path.
 */
public final class DlpScanner
{
    private static final int CHUNK = 4096;

    /** The detectors of values made only of digits, tried on every digit chain. */
    private static final DetectorType[] DIGIT_TYPES = {DetectorType.PAYMENT_CARD, DetectorType.US_SSN,
        DetectorType.CA_SIN, DetectorType.IN_AADHAAR, DetectorType.NL_BSN, DetectorType.PL_PESEL,
        DetectorType.DE_TAX_ID};

    private final DlpEngine engine;
    private final byte[] chunk = new byte[CHUNK];
    private final byte[] decoded = new byte[CHUNK + UrlFormDecoder.CARRIED];
    private final Candidate candidate = new Candidate();
    private final byte[] sample = new byte[FlowState.SAMPLE];
    private final ExactDataProbe exactData;
    private final DlpFinding finding = new DlpFinding();
    private FlowState[] flows = new FlowState[0];
    private int[] freeFlows = new int[0];
    private int freeCount;
    private long matches;
    private int sampleLength;
    private DlpSink sink;
    private int flowId;
    /** Where the value behind the next report starts and ends in its message (end exclusive). */
    private long spanStart;
    private long spanEnd;
    /** While {@link #maskMatches} runs: the bytes it scans, whose matched values are masked as they are found. */
    private byte[] maskData;
    private int maskOffset;
    private int maskLength;

    DlpScanner(final DlpEngine engine)
    {
        this.engine = engine;
        exactData = new ExactDataProbe(engine.edm, candidate);
    }

    /** Starts tracking a flow and returns its id for this scanner. Allocates only when the pool grows. */
    public int openFlow()
    {
        if (freeCount == 0)
        {
            final int old = flows.length;
            final int size = Math.max(16, old * 2);
            flows = java.util.Arrays.copyOf(flows, size);
            freeFlows = java.util.Arrays.copyOf(freeFlows, size);
            for (int i = size - 1; i >= old; i--)
            {
                flows[i] = new FlowState(engine.slots, engine.profileName.length);
                freeFlows[freeCount++] = i;
            }
        }
        final int flow = freeFlows[--freeCount];
        final FlowState state = flows[flow];
        state.resetFlow();
        state.open = true;
        return flow;
    }

    /** Forgets a flow; its id may be handed out again. Closing a closed flow does nothing. */
    public void closeFlow(final int flow)
    {
        if (flows[flow].open)
        {
            flows[flow].open = false;
            freeFlows[freeCount++] = flow;
        }
    }

    /** Detector matches counted since this scanner was made, over all flows, once per profile slot matched. */
    public long matches()
    {
        return matches;
    }

    /** True once a finding of a {@code block} profile has been reported on the flow. */
    public boolean blocked(final int flow)
    {
        return flows[flow].blocked;
    }

    /** Scans the next {@code length} bytes of the flow's current message, read from native or heap memory. */
    public void scan(final int flow, final MemorySegment data, final long offset, final int length, final DlpSink sink)
    {
        final FlowState state = flows[flow];
        begin(flow, sink);
        for (int done = 0; done < length; done += CHUNK)
        {
            final int n = Math.min(CHUNK, length - done);
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, offset + done, chunk, 0, n);
            scanBytes(state, chunk, 0, n);
        }
        this.sink = null;
    }

    /** As {@link #scan(int, MemorySegment, long, int, DlpSink)}, from a heap array. */
    public void scan(final int flow, final byte[] data, final int offset, final int length, final DlpSink sink)
    {
        begin(flow, sink);
        scanBytes(flows[flow], data, offset, length);
        this.sink = null;
    }

    /**
     * Scans bytes of an {@code application/x-www-form-urlencoded} body: decodes {@code +} and {@code %XY}
     * first, carrying an escape split across calls.
     */
    public void scanFormUrlEncoded(final int flow, final MemorySegment data, final long offset, final int length,
        final DlpSink sink)
    {
        final FlowState state = flows[flow];
        begin(flow, sink);
        for (int done = 0; done < length; done += CHUNK)
        {
            final int n = Math.min(CHUNK, length - done);
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, offset + done, chunk, 0, n);
            scanBytes(state, decoded, 0, state.url.decode(chunk, 0, n, decoded, 0));
        }
        this.sink = null;
    }

    /** As {@link #scanFormUrlEncoded(int, MemorySegment, long, int, DlpSink)} from a heap array, reporting nothing. */
    private void scanFormUrlEncoded(final int flow, final byte[] data, final int offset, final int length)
    {
        final FlowState state = flows[flow];
        begin(flow, null);
        for (int done = 0; done < length; done += CHUNK)
        {
            final int n = Math.min(CHUNK, length - done);
            scanBytes(state, decoded, 0, state.url.decode(data, offset + done, n, decoded, 0));
        }
    }

    /**
     * True when any detector of any profile matches in {@code data} alone, scanned as one message of a flow of
     * its own (URL-decoded first when {@code formEncoded}); thresholds and {@code min_count} play no part. For
     * masking values that log lines echo. Reports nothing and leaves {@link #matches()} as it was.
     */
    public boolean matchesIn(final byte[] data, final int offset, final int length, final boolean formEncoded)
    {
        final long before = matches;
        final int probe = openFlow();
        if (formEncoded)
        {
            scanFormUrlEncoded(probe, data, offset, length);
        }
        else
        {
            scan(probe, data, offset, length, null);
        }
        endMessage(probe, null);
        closeFlow(probe);
        final boolean found = matches != before;
        matches = before;
        return found;
    }

    /**
     * Masks in place each value in {@code data[offset, offset + length)} that a detector of any profile matches,
     * scanned alone as {@link #matchesIn} scans (not URL-decoded): the value's letters and digits become
     * {@code *}; separators, punctuation and other bytes stay. For bytes that log lines echo (packets, payloads,
     * text). Returns the number of detector matches; reports nothing and leaves {@link #matches()} as it was.
     * Allocates nothing in steady state (as {@link #scan}).
     */
    public int maskMatches(final byte[] data, final int offset, final int length)
    {
        final long before = matches;
        final int probe = openFlow();
        maskData = data;
        maskOffset = offset;
        maskLength = length;
        scan(probe, data, offset, length, null);
        endMessage(probe, null);
        maskData = null;
        closeFlow(probe);
        final int found = (int)(matches - before);
        matches = before;
        return found;
    }

    /** Ends the flow's current message: values still open at its end are checked, and counts start over. */
    public void endMessage(final int flow, final DlpSink sink)
    {
        final FlowState state = flows[flow];
        begin(flow, sink);
        final int tail = state.url.finish(decoded, 0);
        if (tail > 0)
        {
            scanBytes(state, decoded, 0, tail);
        }
        if (state.inWord)
        {
            endWord(state, state.position);
        }
        if (state.tokenLength > 0)
        {
            tokenEnded(state, state.position);
        }
        if (state.pendingKeywordState >= 0)
        {
            keywordEnded(state, state.pendingKeywordState, state.position, false);
        }
        state.resetMessage();
        this.sink = null;
    }

    private void begin(final int flow, final DlpSink sink)
    {
        this.flowId = flow;
        this.sink = sink;
    }

    /**
     * The per-byte loop. The state touched on every byte lives in locals and goes back to the flow only around
     * the calls made when a word, token or keyword ends.
     */
    private void scanBytes(final FlowState st, final byte[] buf, final int off, final int len)
    {
        final KeywordAutomaton keywords = engine.keywords;
        final boolean identifiers = engine.identifiers;
        final boolean secrets = engine.secrets;
        final byte[] ring = st.ring;
        long p = st.position;
        int keywordState = st.keywordState;
        int pendingKeyword = st.pendingKeywordState;
        boolean inWord = st.inWord;
        int wordFlags = st.currentFlags;
        int tokenLength = st.tokenLength;
        int tokenFlags = st.tokenFlags;
        int tokenDotAt = st.tokenDotAt;
        final byte[] tokenHead = st.tokenHead;
        for (int i = off, end = off + len; i < end; i++, p++)
        {
            final byte b = buf[i];
            final int cls = CLASS[b & 0xff];
            if (pendingKeyword >= 0)
            {
                keywordEnded(st, pendingKeyword, p, (cls & WORD) != 0);
                pendingKeyword = -1;
            }
            ring[(int)p & FlowState.RING_MASK] = b;

            if (identifiers)
            {
                if ((cls & WORD) != 0)
                {
                    if (!inWord)
                    {
                        startWord(st, p);
                        inWord = true;
                        wordFlags = 0;
                    }
                    wordFlags |= cls;
                }
                else if (inWord)
                {
                    inWord = false;
                    st.currentFlags = wordFlags;
                    endWord(st, p);
                }
            }

            if (secrets)
            {
                if ((cls & TOKEN) != 0)
                {
                    if (tokenLength < FlowState.TOKEN_HEAD)
                    {
                        tokenHead[tokenLength] = b;
                    }
                    if ((cls & (DOT | AT)) != 0 || tokenLength - tokenDotAt <= 3)
                    {
                        SecretTokens.dot(st, b, cls, tokenLength);
                        tokenDotAt = st.tokenDotAt;
                    }
                    tokenFlags |= cls;
                    tokenLength++;
                }
                else if (tokenLength >= SecretTokens.MIN_LENGTH || tokenLength > 0 && (st.tokenDots | st.tokenAts) != 0)
                {
                    st.tokenLength = tokenLength;
                    st.tokenFlags = tokenFlags;
                    tokenEnded(st, p);
                    tokenLength = 0;
                    tokenFlags = 0;
                    tokenDotAt = st.tokenDotAt;
                }
                else
                {
                    // Shorter than any secret and without dots: nothing to check or reset but the counts.
                    tokenLength = 0;
                    tokenFlags = 0;
                }
            }

            if (null != keywords)
            {
                final int next = keywords.step(keywordState, b);
                keywordState = next & KeywordAutomaton.STATE;
                if (next < 0)
                {
                    pendingKeyword = keywordState;
                }
            }
        }
        st.position = p;
        st.keywordState = keywordState;
        st.pendingKeywordState = pendingKeyword;
        st.inWord = inWord;
        st.currentFlags = wordFlags;
        st.tokenLength = tokenLength;
        st.tokenFlags = tokenFlags;
    }

    // ---- words and identifiers ----

    private static void startWord(final FlowState st, final long p)
    {
        st.currentStart = p;
        final byte before = st.ring[(int)(p - 1) & FlowState.RING_MASK];
        final boolean joined = st.words > 0 && p == st.lastWordEnd + 1 && (CLASS[before & 0xff] & SEPARATOR) != 0;
        st.currentJoin = joined ? before : 0;
    }

    private void endWord(final FlowState st, final long p)
    {
        final int w = st.words & (FlowState.WORDS - 1);
        final int length = (int)(p - st.currentStart);
        st.wordStart[w] = st.currentStart;
        st.wordLength[w] = length;
        st.wordFlags[w] = st.currentFlags & (DIGIT | LETTERS | UNDERSCORE) | (length > MAX_WORD ? LONG : 0);
        st.wordJoin[w] = st.currentJoin;
        st.digitHistory = st.digitHistory << 1 | (st.currentFlags & DIGIT) >>> 1;
        st.words++;
        st.lastWordEnd = p;
        st.inWord = false;
        wordEnded(st);
    }

    /**
     * Runs the identifier detectors over the chain ending at the word that just ended. As with a regular
     * expression between word boundaries, a value is found even when more digit groups follow it: a list of
     * card numbers split by spaces is a list, not one long number.
     */
    private void wordEnded(final FlowState st)
    {
        final int last = (st.words - 1) & (FlowState.WORDS - 1);
        final int flags = st.wordFlags[last];
        final int length = st.wordLength[last];
        if ((length == 8 || length == 11) && (flags & (LOWER | UNDERSCORE | LONG)) == 0 && on(DetectorType.SWIFT_BIC))
        {
            bic(st);
        }
        if ((flags & LONG) != 0 || (st.digitHistory & 0xff) == 0 && !engine.edmText)
        {
            // Every detector but EDM text columns needs a digit within the last eight words: prose stops here.
            return;
        }
        final int chain = chainLength(st);
        int digitWords = 0;
        while (digitWords < chain && st.wordFlags[(st.words - 1 - digitWords) & (FlowState.WORDS - 1)] == DIGIT)
        {
            digitWords++;
        }
        final int found = digitWords > 0 ? digitDetectors(st, digitWords) : 0;
        if ((found & 1 << DetectorType.PAYMENT_CARD.ordinal()) == 0 && on(DetectorType.PAYMENT_CARD))
        {
            joinedCard(st, chain, digitWords);
        }
        if (st.ring[(int)st.lastWordEnd & FlowState.RING_MASK] == '?' && length >= 7)
        {
            trackData(st, last);
        }
        int chainFlags = 0;
        for (int k = 0; k < chain; k++)
        {
            chainFlags |= st.wordFlags[(st.words - 1 - k) & (FlowState.WORDS - 1)];
        }
        if ((chainFlags & DIGIT) != 0)
        {
            alnumDetectors(st, chain);
        }
        if (engine.edm.length > 0)
        {
            exactData(st, chain, digitWords);
        }
    }

    /** Words joined one after another by a single separator, ending at the last word, at most eight. */
    private static int chainLength(final FlowState st)
    {
        final int mask = FlowState.WORDS - 1;
        final long end = st.lastWordEnd;
        int n = 1;
        while (n < FlowState.WORDS && n < st.words && st.wordJoin[(st.words - n) & mask] != 0
            && (st.wordFlags[(st.words - n - 1) & mask] & LONG) == 0
            && end - st.wordStart[(st.words - n - 1) & mask] <= FlowState.RING - 8)
        {
            n++;
        }
        return n;
    }

    /**
     * Every suffix of the digit chain, longest first; each detector reports at most once per word end. Returns the
     * detectors found, one bit per {@link DetectorType} ordinal.
     */
    private int digitDetectors(final FlowState st, final int digitWords)
    {
        int found = 0;
        for (int k = digitWords; k >= 1; k--)
        {
            final int len = candidate.fill(st, k);
            if (len < 8 || len > 19)
            {
                continue;
            }
            for (final DetectorType type : DIGIT_TYPES)
            {
                final int bit = 1 << type.ordinal();
                if ((found & bit) == 0 && on(type) && candidate.digitCheck(type, len, k))
                {
                    found |= bit;
                    span(st.wordStart[(st.words - k) & (FlowState.WORDS - 1)], st.lastWordEnd);
                    maskKeep(len, type == DetectorType.PAYMENT_CARD ? 4 : 0,
                        type == DetectorType.CA_SIN || type == DetectorType.NL_BSN ? 3 : 4);
                    report(st, type);
                }
            }
        }
        return found;
    }

    /**
     * Card numbers with letters or {@code _} joined to them (a digit run is one only whole: no digit touches it):
     * in one word ({@code card_4111111111111111}, {@code x4111111111111111y}), or grouped with the first group
     * ending a word ({@code card_4111 1111 1111 1111}) or the last starting one ({@code 4111 1111 1111 1111x}).
     * Chains of digit-only words are {@link #digitDetectors}'s. At most one per word end.
     */
    private void joinedCard(final FlowState st, final int chain, final int digitWords)
    {
        final int mask = FlowState.WORDS - 1;
        final int flags = st.wordFlags[(st.words - 1) & mask];
        if (flags == DIGIT)
        {
            if (digitWords < chain && mixedWithDigits(st.wordFlags[(st.words - 1 - digitWords) & mask]))
            {
                cardFromTrailingRun(st, digitWords + 1, st.lastWordEnd);
            }
            return;
        }
        if ((flags & DIGIT) == 0 || hexWord(st, (st.words - 1) & mask))
        {
            return;
        }
        final long start = st.wordStart[(st.words - 1) & mask];
        final long lead = digitRunEnd(st, start, st.lastWordEnd);
        if (lead > start)
        {
            int digitOnly = 0;
            while (digitOnly + 1 < chain && st.wordFlags[(st.words - 2 - digitOnly) & mask] == DIGIT)
            {
                digitOnly++;
            }
            if (digitOnly + 1 < chain && mixedWithDigits(st.wordFlags[(st.words - 2 - digitOnly) & mask])
                && cardFromTrailingRun(st, digitOnly + 2, lead))
            {
                return;
            }
            for (int j = digitOnly; j >= 1; j--)
            {
                if (joinedCard(st, j + 1, st.wordStart[(st.words - 1 - j) & mask], lead))
                {
                    return;
                }
            }
        }
        for (long p = start; p < st.lastWordEnd; )
        {
            final long runEnd = digitRunEnd(st, p, st.lastWordEnd);
            if (runEnd - p >= 13 && runEnd - p <= 19 && joinedCard(st, 1, p, runEnd))
            {
                return;
            }
            p = Math.max(p + 1, runEnd);
        }
    }

    /** A card over the last {@code k} words, the first from the digit run that ends it, the last up to {@code to}. */
    private boolean cardFromTrailingRun(final FlowState st, final int k, final long to)
    {
        final int first = (st.words - k) & (FlowState.WORDS - 1);
        if (hexWord(st, first))
        {
            return false;
        }
        final long wordStart = st.wordStart[first];
        long from = wordStart + st.wordLength[first];
        while (from > wordStart && Candidate.digit(st.ring[(int)(from - 1) & FlowState.RING_MASK]))
        {
            from--;
        }
        return from < wordStart + st.wordLength[first] && joinedCard(st, k, from, to);
    }

    /** Reports a card over the last {@code k} words from stream position {@code from} to {@code to}, if it is one. */
    private boolean joinedCard(final FlowState st, final int k, final long from, final long to)
    {
        final int len = candidate.fillPart(st, k, from, to);
        if (len < 13 || len > 19 || !candidate.card(len, k, candidate.separators != 3))
        {
            return false;
        }
        span(from, to);
        maskKeep(len, 4, 4);
        report(st, DetectorType.PAYMENT_CARD);
        return true;
    }

    /** Where the digits starting at stream position {@code p} end, at most at {@code end}. */
    private static long digitRunEnd(final FlowState st, final long p, final long end)
    {
        long q = p;
        while (q < end && Candidate.digit(st.ring[(int)q & FlowState.RING_MASK]))
        {
            q++;
        }
        return q;
    }

    /**
     * True when word {@code w} is made of hexadecimal digits only: a hash or an id, whose digit runs are parts of
     * one number, not values with letters beside them (about one SHA-1 in 4,000 written in hex holds a digit run
     * that passes as a card number, one in 1,500 in upper case an IBAN).
     */
    private static boolean hexWord(final FlowState st, final int w)
    {
        final long start = st.wordStart[w];
        for (long p = start, end = start + st.wordLength[w]; p < end; p++)
        {
            final int c = st.ring[(int)p & FlowState.RING_MASK] | 0x20;
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f'))
            {
                return false;
            }
        }
        return true;
    }

    private static boolean mixedWithDigits(final int wordFlags)
    {
        return (wordFlags & DIGIT) != 0 && wordFlags != DIGIT;
    }

    /** SWIFT BIC: letters for the bank, a country code, then letters or digits for location and branch. */
    private void bic(final FlowState st)
    {
        final int len = candidate.fill(st, 1);
        for (int i = 1; i <= 6; i++)
        {
            if (!Candidate.upper(candidate.bytes[i]))
            {
                return;
            }
        }
        if (IsoCountries.known(candidate.bytes[5], candidate.bytes[6]))
        {
            span(st.wordStart[(st.words - 1) & (FlowState.WORDS - 1)], st.lastWordEnd);
            maskKeep(len, 4, 0);
            report(st, DetectorType.SWIFT_BIC);
        }
    }

    /**
     * Magnetic stripe data ending with the word before a {@code ?}: track 2 ({@code ;PAN=DATA?}) when the word
     * before it is the PAN, track 1 ({@code %BPAN^NAME^DATA?}) when a caret precedes it. Read back from the
     * ring; a track is at most 79 bytes.
     */
    private void trackData(final FlowState st, final int last)
    {
        final byte[] r = st.ring;
        final int mask = FlowState.RING_MASK;
        final long start = st.wordStart[last];
        final int flags = st.wordFlags[last];
        if (on(DetectorType.CARD_TRACK2) && flags == DIGIT && st.words >= 2)
        {
            final int prev = (st.words - 2) & (FlowState.WORDS - 1);
            final long panStart = st.wordStart[prev];
            final int panLength = st.wordLength[prev];
            if (panStart + panLength + 1 == start && r[(int)(start - 1) & mask] == '=' && st.wordFlags[prev] == DIGIT
                && panLength >= 13 && panLength <= 19 && panStart >= 1 && r[(int)(panStart - 1) & mask] == ';'
                && pan(st, panStart, panLength))
            {
                span(panStart - 1, st.lastWordEnd + 1);
                report(st, DetectorType.CARD_TRACK2);
            }
        }
        if (!on(DetectorType.CARD_TRACK1) || (flags & (LOWER | UNDERSCORE)) != 0 || start < 20
            || r[(int)(start - 1) & mask] != '^')
        {
            return;
        }
        for (int i = 0; i < 7; i++)
        {
            final byte c = r[(int)(start + i) & mask];
            if (c < '0' || c > '9')
            {
                return;
            }
        }
        long caret = start - 2;
        while (caret > start - 28 && caret > 0 && r[(int)caret & mask] != '^')
        {
            caret--;
        }
        final int nameLength = (int)(start - caret - 2);
        final byte first = r[(int)(caret + 1) & mask];
        if (r[(int)caret & mask] != '^' || nameLength < 1 || !(Candidate.upper(first) || first >= 'a' && first <= 'z'))
        {
            return;
        }
        int digits = 0;
        while (digits < 20 && caret - 1 - digits >= 0 && r[(int)(caret - 1 - digits) & mask] >= '0'
            && r[(int)(caret - 1 - digits) & mask] <= '9')
        {
            digits++;
        }
        final long panStart = caret - digits;
        if (digits >= 13 && digits <= 19 && panStart >= 2 && r[(int)(panStart - 1) & mask] == 'B'
            && r[(int)(panStart - 2) & mask] == '%' && st.lastWordEnd - panStart < FlowState.RING - 8
            && pan(st, panStart, digits))
        {
            span(panStart - 2, st.lastWordEnd + 1);
            report(st, DetectorType.CARD_TRACK1);
        }
    }

    /** Copies a PAN out of the ring into the candidate; true and masked into the sample when Luhn-valid. */
    private boolean pan(final FlowState st, final long start, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            candidate.bytes[1 + i] = st.ring[(int)(start + i) & FlowState.RING_MASK];
        }
        final byte[] v = candidate.value();
        if (Checksums.allSame(v, length) || !Checksums.luhn(v, length))
        {
            return false;
        }
        maskKeep(length, 4, 4);
        return true;
    }

    private void alnumDetectors(final FlowState st, final int chain)
    {
        final int last = (st.words - 1) & (FlowState.WORDS - 1);
        final int lastLength = st.wordLength[last];
        final int lastFlags = st.wordFlags[last];
        if ((lastFlags & (LOWER | UNDERSCORE)) == 0 && (lastLength == 9 || lastLength == 15 || lastLength == 16))
        {
            span(st.wordStart[last], st.lastWordEnd);
            final int len = candidate.fill(st, 1);
            if (lastLength == 9 && on(DetectorType.ES_DNI) && candidate.dni())
            {
                maskKeep(len, 0, 4);
                report(st, DetectorType.ES_DNI);
            }
            if (lastLength == 9 && on(DetectorType.ES_NIE) && candidate.nie())
            {
                maskKeep(len, 0, 4);
                report(st, DetectorType.ES_NIE);
            }
            if (lastLength == 16 && on(DetectorType.IT_CODICE_FISCALE) && candidate.codiceFiscale())
            {
                maskKeep(len, 0, 4);
                report(st, DetectorType.IT_CODICE_FISCALE);
            }
            if (lastLength == 15 && on(DetectorType.FR_NIR) && candidate.nir())
            {
                maskKeep(len, 0, 4);
                report(st, DetectorType.FR_NIR);
            }
        }
        if (on(DetectorType.IBAN))
        {
            iban(st, chain);
        }
        if (on(DetectorType.UK_NINO))
        {
            nino(st, chain);
        }
    }

    /** UK NINO: nine characters over the last words of the chain, the only suffix of the chain that long. */
    private void nino(final FlowState st, final int chain)
    {
        int k = 0;
        int characters = 0;
        while (k < chain && characters < 9)
        {
            characters += st.wordLength[(st.words - 1 - k) & (FlowState.WORDS - 1)];
            k++;
        }
        final int first = (st.words - k) & (FlowState.WORDS - 1);
        if (characters != 9 || (st.wordFlags[first] & (LOWER | UNDERSCORE)) != 0)
        {
            return;
        }
        final int len = candidate.fill(st, k);
        if ((candidate.separators & 2) == 0 && candidate.upperAlnum(len) && candidate.nino(k))
        {
            span(st.wordStart[first], st.lastWordEnd);
            maskKeep(len, 0, 4);
            report(st, DetectorType.UK_NINO);
        }
    }

    /**
     * IBANs, in one word or grouped by single spaces, with letters or {@code _} allowed on either side but no digit
     * ({@code accountDE89370400440532013000}, {@code iban_DE89 3704 0044 0532 0130 00}): from each place in the
     * first word of the chain where a country code and two digits start, the country's length must end in the
     * last word. At most one per word end.
     */
    private void iban(final FlowState st, final int chain)
    {
        // Its country code is two capitals in the chain's first word, its check digits come after them: only
        // chains with a capital in the first word and a digit from there on are filled in and tried.
        final int mask = FlowState.WORDS - 1;
        int longest = 0;
        boolean digit = false;
        for (int k = 1; k <= chain; k++)
        {
            final int flags = st.wordFlags[(st.words - k) & mask];
            digit |= (flags & DIGIT) != 0;
            if (digit && (flags & UPPER) != 0)
            {
                longest = k;
            }
        }
        for (int k = longest; k >= 1; k--)
        {
            if ((st.wordFlags[(st.words - k) & mask] & UPPER) == 0)
            {
                continue;
            }
            final int total = candidate.fill(st, k);
            if (total < 15 || (candidate.separators & 2) != 0)
            {
                continue;
            }
            final int lastFrom = total - candidate.groups[k - 1];
            final int firstWord = (st.words - k) & (FlowState.WORDS - 1);
            final boolean firstHex = hexWord(st, firstWord);
            final boolean lastHex = hexWord(st, (st.words - 1) & (FlowState.WORDS - 1));
            // A word of hex digits is one number: the value starts at its start or ends at its end.
            for (int s = 0, starts = firstHex ? 1 : candidate.groups[0]; s < starts; s++)
            {
                final int len = candidate.ibanAt(s, total, lastFrom, lastHex);
                if (len > 0)
                {
                    // One separator between each two words, all of them inside the value.
                    final long from = st.wordStart[firstWord] + s;
                    span(from, from + len + k - 1);
                    maskKeep(len, 4, 4);
                    report(st, DetectorType.IBAN);
                    return;
                }
            }
        }
    }

    private boolean on(final DetectorType type)
    {
        return engine.typeSlots[type.ordinal()].length > 0;
    }

    // ---- exact data match ----

    private void exactData(final FlowState st, final int chain, final int digitWords)
    {
        for (int t = 0; t < engine.edm.length; t++)
        {
            final long hits = exactData.columns(t, st, chain, digitWords);
            if (hits != 0)
            {
                // The columns matched lie within the chain: all of it is masked.
                span(st.wordStart[(st.words - chain) & (FlowState.WORDS - 1)], st.lastWordEnd);
                reportColumns(st, t, hits);
            }
        }
    }

    private void reportColumns(final FlowState st, final int t, final long hits)
    {
        final EdmTable table = engine.edm[t];
        sampleLength = 0;
        for (int c = 0; c < table.columnNames.length; c++)
        {
            if ((hits & 1L << c) != 0)
            {
                final String column = table.columnNames[c];
                for (int i = 0; i < column.length() && sampleLength < sample.length; i++)
                {
                    sample[sampleLength++] = (byte)column.charAt(i);
                }
                if (sampleLength < sample.length)
                {
                    sample[sampleLength++] = ' ';
                }
            }
        }
        sampleLength--;
        record(st, engine.edmSlot[t]);
    }

    // ---- tokens and secrets ----

    private void tokenEnded(final FlowState st, final long p)
    {
        final DetectorType type = SecretTokens.classify(st, p, on(DetectorType.AWS_SECRET_ACCESS_KEY),
            on(DetectorType.EMAIL));
        if (null == type || !on(type))
        {
            return;
        }
        span(p - st.tokenLengthEnded, p);
        if (type == DetectorType.EMAIL)
        {
            emailSample(st, p - st.tokenLengthEnded);
            report(st, type);
            return;
        }
        final int keep = SecretTokens.visiblePrefix(type, st.tokenHead);
        sampleLength = 0;
        for (int i = 0; i < keep; i++)
        {
            sample[sampleLength++] = st.tokenHead[i];
        }
        while (sampleLength < Math.min(st.secretLength, 40))
        {
            sample[sampleLength++] = '*';
        }
        report(st, type);
    }

    /** First character of the local part, stars for the rest, then the domain as far as the sample holds. */
    private void emailSample(final FlowState st, final long start)
    {
        final int at = st.tokenAtPos;
        sampleLength = 0;
        for (int i = 0; i < st.secretLength && sampleLength < sample.length; i++)
        {
            final byte c = st.ring[(int)(start + i) & FlowState.RING_MASK];
            sample[sampleLength++] = i == 0 || i >= at ? c : (byte)'*';
        }
    }

    // ---- keywords ----

    /**
     * Reports the terms of automaton state {@code state} that ended just before {@code end}; {@code wordFollows}
     * fails those that need a word boundary.
     */
    private void keywordEnded(final FlowState st, final int state, final long end, final boolean wordFollows)
    {
        final int[] outputs = engine.keywords.outputs(state);
        for (final int term : outputs)
        {
            final int length = engine.keywords.termLength(term);
            final long start = end - length;
            if (engine.termBoundary[term] && (wordFollows || start > 0
                && (CLASS[st.ring[(int)(start - 1) & FlowState.RING_MASK] & 0xff] & WORD) != 0))
            {
                continue;
            }
            span(start, end);
            for (final int slot : engine.termSlots[term])
            {
                termSample(engine.terms[term], engine.slotType[slot] == DetectorType.KEYWORDS);
                record(st, slot);
            }
        }
    }

    // ---- counting and reporting ----

    /**
     * The term as the sample: a private key header in clear (a fixed marker, not the key), a dictionary keyword
     * masked, as sensitive as the other detectors' values (found by a tester: it was in clear), to its first
     * character and stars for its other letters and digits (spaces and punctuation kept).
     */
    private void termSample(final String term, final boolean keyword)
    {
        sampleLength = Math.min(term.length(), sample.length);
        for (int i = 0; i < sampleLength; i++)
        {
            final char c = term.charAt(i);
            sample[i] = !keyword || 0 == i || !Character.isLetterOrDigit(c) ? (byte)c : (byte)'*';
        }
    }

    /** Masks {@code candidate.bytes[1..len]} into the sample, keeping {@code head} and {@code tail} characters. */
    private void maskKeep(final int len, final int head, final int tail)
    {
        sampleLength = Math.min(len, sample.length);
        for (int i = 0; i < sampleLength; i++)
        {
            sample[i] = i < head || i >= len - tail ? candidate.bytes[1 + i] : (byte)'*';
        }
    }

    private void report(final FlowState st, final DetectorType type)
    {
        for (final int slot : engine.typeSlots[type.ordinal()])
        {
            record(st, slot);
        }
    }

    /** Sets where the value about to be reported lies in its message. */
    private void span(final long start, final long end)
    {
        spanStart = start;
        spanEnd = end;
    }

    /** While masking: the letters and digits of the value last spanned become {@code *} in the scanned bytes. */
    private void maskSpan()
    {
        final int from = (int)Math.max(0, spanStart);
        final int to = (int)Math.min(maskLength, spanEnd);
        for (int i = maskOffset + from, end = maskOffset + to; i < end; i++)
        {
            if ((CLASS[maskData[i] & 0xff] & (DIGIT | LETTERS)) != 0)
            {
                maskData[i] = '*';
            }
        }
    }

    private void record(final FlowState st, final int slot)
    {
        if (null != maskData)
        {
            maskSpan();
        }
        System.arraycopy(sample, 0, st.samples, slot * FlowState.SAMPLE, sampleLength);
        st.sampleLength[slot] = sampleLength;
        st.messageCount[slot]++;
        matches++;
        final int profile = engine.slotProfile[slot];
        st.flowCount[profile]++;
        if (st.flowCount[profile] < engine.profileThreshold[profile])
        {
            return;
        }
        for (final int s : engine.profileSlots[profile])
        {
            if (!st.reported[s] && st.messageCount[s] >= engine.slotMin[s])
            {
                st.reported[s] = true;
                final DlpAction action = engine.profileAction[profile];
                st.blocked |= action == DlpAction.BLOCK;
                finding.set(engine.profileName[profile], engine.slotName[s], engine.slotType[s], action,
                    st.messageCount[s], st.flowCount[profile], st.samples, s * FlowState.SAMPLE, st.sampleLength[s]);
                if (null != sink)
                {
                    sink.onFinding(flowId, finding);
                }
            }
        }
    }
}
