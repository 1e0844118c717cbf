package io.opensase.ips.dlp;

import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Scans message bodies of many flows for one worker thread. Bytes of a message may arrive in any number of
 * {@link #scan} calls: each flow carries its last 128 bytes, its last eight words and any open token, so a
 * value split across calls is found as if it came whole. {@link #endMessage} closes what is still open.
 *
 * <p>Per byte the scanner classifies the byte, extends or ends the current word and token, and steps the
 * keyword automaton. Identifier detectors run when a word ends, over the chain of words before it that are
 * joined by one space or dash; secret detectors when a token ends. Nothing is allocated in steady state
 * except a Chronicle Map lookup's boxed value on an EDM prefilter hit. Not thread-safe: one per thread.
 */
public final class DlpScanner
{
    private static final int WORD = 1;
    private static final int DIGIT = 2;
    private static final int UPPER = 4;
    private static final int LOWER = 8;
    private static final int UNDERSCORE = 16;
    private static final int TOKEN = 32;
    private static final int SEPARATOR = 64;
    private static final int DASH = 128;
    private static final int DOT = 256;
    private static final int PLUS_SLASH = 512;
    /** Word flag: longer than any identifier, so it breaks chains. */
    private static final int LONG = 1 << 12;
    private static final int MAX_WORD = 48;
    private static final int LETTERS = UPPER | LOWER;
    private static final int[] CLASS = new int[256];
    private static final int CHUNK = 4096;

    static
    {
        for (int c = '0'; c <= '9'; c++)
        {
            CLASS[c] = WORD | DIGIT | TOKEN;
        }
        for (int c = 'A'; c <= 'Z'; c++)
        {
            CLASS[c] = WORD | UPPER | TOKEN;
            CLASS[c + 32] = WORD | LOWER | TOKEN;
        }
        CLASS['_'] = WORD | UNDERSCORE | TOKEN;
        CLASS['-'] = SEPARATOR | DASH | TOKEN;
        CLASS[' '] = SEPARATOR;
        CLASS['.'] = DOT | TOKEN;
        CLASS['+'] = PLUS_SLASH | TOKEN;
        CLASS['/'] = PLUS_SLASH | TOKEN;
    }

    private final DlpEngine engine;
    private final byte[] chunk = new byte[CHUNK];
    private final byte[] decoded = new byte[CHUNK + 2];
    private final byte[] candidate = new byte[EdmTable.MAX_VALUE + 2];
    private final int[] groups = new int[FlowState.WORDS];
    private final byte[] plain = new byte[EdmTable.MAX_VALUE];
    private final byte[] sample = new byte[FlowState.SAMPLE];
    private final byte[] hmac = new byte[32];
    private final Mac[] macs;
    private final DlpFinding finding = new DlpFinding();
    private FlowState[] flows = new FlowState[0];
    private int[] freeFlows = new int[0];
    private int freeCount;
    private long matches;
    private int sampleLength;
    private int separators;
    private DlpSink sink;
    private int flowId;

    DlpScanner(final DlpEngine engine)
    {
        this.engine = engine;
        macs = new Mac[engine.edm.length];
        for (int t = 0; t < macs.length; t++)
        {
            macs[t] = engine.edm[t].newMac();
        }
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
                    if ((cls & DOT) != 0 || tokenLength - tokenDotAt <= 3)
                    {
                        tokenDot(st, b, cls, tokenLength);
                        tokenDotAt = st.tokenDotAt;
                    }
                    tokenFlags |= cls;
                    tokenLength++;
                }
                else if (tokenLength > 0)
                {
                    st.tokenLength = tokenLength;
                    st.tokenFlags = tokenFlags;
                    tokenEnded(st, p);
                    tokenLength = 0;
                    tokenFlags = 0;
                    tokenDotAt = st.tokenDotAt;
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
        st.currentJoin = st.words > 0 && p == st.lastWordEnd + 1 && (CLASS[before & 0xff] & SEPARATOR) != 0 ? before : 0;
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
        if (digitWords > 0)
        {
            digitDetectors(st, digitWords);
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
     * Copies the last {@code k} words, without their separators, into {@code candidate} from index 1, records
     * their lengths in {@code groups} and the separators used in {@code separators} (bit 0 space, bit 1 dash);
     * returns the length, or -1 when longer than {@link EdmTable#MAX_VALUE}.
     */
    private int concat(final FlowState st, final int k)
    {
        final int mask = FlowState.WORDS - 1;
        int len = 0;
        separators = 0;
        for (int j = k - 1, g = 0; j >= 0; j--, g++)
        {
            final int w = (st.words - 1 - j) & mask;
            final int wordLength = st.wordLength[w];
            if (len + wordLength > EdmTable.MAX_VALUE)
            {
                return -1;
            }
            final long start = st.wordStart[w];
            for (int c = 0; c < wordLength; c++)
            {
                candidate[1 + len + c] = st.ring[(int)(start + c) & FlowState.RING_MASK];
            }
            len += wordLength;
            groups[g] = wordLength;
            if (j < k - 1)
            {
                separators |= st.wordJoin[w] == ' ' ? 1 : 2;
            }
        }
        return len;
    }

    private void digitDetectors(final FlowState st, final int digitWords)
    {
        int found = 0;
        for (int k = digitWords; k >= 1; k--)
        {
            final int len = concat(st, k);
            if (len < 8 || len > 19)
            {
                continue;
            }
            final boolean uniform = separators != 3;
            if ((found & 1) == 0 && on(DetectorType.PAYMENT_CARD) && card(len, k, uniform))
            {
                found |= 1;
                maskKeep(len, 4, 4);
                report(st, DetectorType.PAYMENT_CARD);
            }
            if ((found & 2) == 0 && on(DetectorType.US_SSN) && len == 9 && (k == 1 || uniform && k == 3
                && groups[0] == 3 && groups[1] == 2) && ssn())
            {
                found |= 2;
                maskKeep(len, 0, 4);
                report(st, DetectorType.US_SSN);
            }
            if ((found & 4) == 0 && on(DetectorType.CA_SIN) && len == 9 && (k == 1 || uniform && k == 3
                && groups[0] == 3 && groups[1] == 3) && candidate[1] != '8' && !Checksums.allSame(value(), len)
                && luhnAt1(len))
            {
                found |= 4;
                maskKeep(len, 0, 3);
                report(st, DetectorType.CA_SIN);
            }
            if ((found & 8) == 0 && on(DetectorType.IN_AADHAAR) && len == 12 && (k == 1 || uniform && k == 3
                && groups[0] == 4 && groups[1] == 4) && candidate[1] >= '2' && aadhaar())
            {
                found |= 8;
                maskKeep(len, 0, 4);
                report(st, DetectorType.IN_AADHAAR);
            }
            if ((found & 16) == 0 && on(DetectorType.NL_BSN) && k == 1 && (len == 9 || len == 8) && bsn(len))
            {
                found |= 16;
                maskKeep(len, 0, 3);
                report(st, DetectorType.NL_BSN);
            }
            if ((found & 32) == 0 && on(DetectorType.PL_PESEL) && k == 1 && len == 11 && pesel())
            {
                found |= 32;
                maskKeep(len, 0, 4);
                report(st, DetectorType.PL_PESEL);
            }
            if ((found & 64) == 0 && on(DetectorType.DE_TAX_ID) && len == 11 && (k == 1 || uniform && k == 4
                && groups[0] == 2 && groups[1] == 3 && groups[2] == 3) && germanTax())
            {
                found |= 64;
                maskKeep(len, 0, 4);
                report(st, DetectorType.DE_TAX_ID);
            }
        }
    }

    /** SWIFT BIC: letters for the bank, a country code, then letters or digits for location and branch. */
    private void bic(final FlowState st)
    {
        final int len = concat(st, 1);
        for (int i = 1; i <= 6; i++)
        {
            if (!upper(candidate[i]))
            {
                return;
            }
        }
        if (IsoCountries.known(candidate[5], candidate[6]))
        {
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
        if (r[(int)caret & mask] != '^' || nameLength < 1 || !(upper(first) || first >= 'a' && first <= 'z'))
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
            report(st, DetectorType.CARD_TRACK1);
        }
    }

    /** Copies a PAN out of the ring into the candidate; true and masked into the sample when Luhn-valid. */
    private boolean pan(final FlowState st, final long start, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            candidate[1 + i] = st.ring[(int)(start + i) & FlowState.RING_MASK];
        }
        final byte[] v = value();
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
            final int len = concat(st, 1);
            if (lastLength == 9 && on(DetectorType.ES_DNI) && dni())
            {
                maskKeep(len, 0, 4);
                report(st, DetectorType.ES_DNI);
            }
            if (lastLength == 9 && on(DetectorType.ES_NIE) && nie())
            {
                maskKeep(len, 0, 4);
                report(st, DetectorType.ES_NIE);
            }
            if (lastLength == 16 && on(DetectorType.IT_CODICE_FISCALE) && codiceFiscale())
            {
                maskKeep(len, 0, 4);
                report(st, DetectorType.IT_CODICE_FISCALE);
            }
            if (lastLength == 15 && on(DetectorType.FR_NIR) && nir())
            {
                maskKeep(len, 0, 4);
                report(st, DetectorType.FR_NIR);
            }
        }
        boolean ibanFound = !on(DetectorType.IBAN);
        boolean ninoFound = !on(DetectorType.UK_NINO);
        for (int k = chain; k >= 1 && !(ibanFound && ninoFound); k--)
        {
            final int first = (st.words - k) & (FlowState.WORDS - 1);
            if ((st.wordFlags[first] & (LOWER | UNDERSCORE)) != 0)
            {
                continue;
            }
            final int len = concat(st, k);
            if (len < 0 || (separators & 2) != 0 || !upperAlnum(len))
            {
                continue;
            }
            if (!ibanFound && iban(len))
            {
                ibanFound = true;
                maskKeep(len, 4, 4);
                report(st, DetectorType.IBAN);
            }
            if (!ninoFound && len == 9 && nino(k))
            {
                ninoFound = true;
                maskKeep(len, 0, 4);
                report(st, DetectorType.UK_NINO);
            }
        }
    }

    private boolean on(final DetectorType type)
    {
        return engine.typeSlots[type.ordinal()].length > 0;
    }

    /** The candidate without its tag byte, as the checksum routines read it. */
    private byte[] value()
    {
        System.arraycopy(candidate, 1, plain, 0, EdmTable.MAX_VALUE);
        return plain;
    }

    private boolean card(final int len, final int k, final boolean uniform)
    {
        if (len < 13)
        {
            return false;
        }
        if (k > 1)
        {
            if (!uniform || groups[0] != 4)
            {
                return false;
            }
            for (int g = 1; g < k; g++)
            {
                if (groups[g] < 3 || groups[g] > 6)
                {
                    return false;
                }
            }
        }
        final byte[] v = value();
        return !Checksums.allSame(v, len) && CardBrands.issued(v, len) && Checksums.luhn(v, len);
    }

    private boolean luhnAt1(final int len)
    {
        return Checksums.luhn(value(), len);
    }

    private boolean ssn()
    {
        final int area = number(1, 3);
        return area != 0 && area != 666 && area < 900 && number(4, 2) != 0 && number(6, 4) != 0;
    }

    private boolean aadhaar()
    {
        final byte[] v = value();
        return !Checksums.allSame(v, 12) && Checksums.verhoeff(v, 12);
    }

    private boolean bsn(final int len)
    {
        final byte[] v = value();
        return !Checksums.allSame(v, len) && Checksums.elevenProof(v, len);
    }

    private boolean pesel()
    {
        final byte[] v = value();
        return !Checksums.allSame(v, 11) && Checksums.pesel(v);
    }

    private boolean germanTax()
    {
        return Checksums.germanTaxId(value());
    }

    private boolean dni()
    {
        if (!digits(1, 8) || !upper(candidate[9]))
        {
            return false;
        }
        return candidate[9] == Checksums.dniLetter(number(1, 8));
    }

    private boolean nie()
    {
        final int prefix = candidate[1] - 'X';
        if (prefix < 0 || prefix > 2 || !digits(2, 7) || !upper(candidate[9]))
        {
            return false;
        }
        return candidate[9] == Checksums.dniLetter(prefix * 10_000_000 + number(2, 7));
    }

    private boolean codiceFiscale()
    {
        for (int i = 1; i <= 16; i++)
        {
            final byte c = candidate[i];
            final boolean ok = switch (i)
            {
                case 1, 2, 3, 4, 5, 6, 12, 16 -> upper(c);
                case 9 -> "ABCDEHLMPRST".indexOf(c) >= 0;
                default -> c >= '0' && c <= '9' || "LMNPQRSTUV".indexOf(c) >= 0;
            };
            if (!ok)
            {
                return false;
            }
        }
        return Checksums.codiceFiscale(value());
    }

    private boolean nir()
    {
        final byte sex = candidate[1];
        final int month = digits(4, 2) ? number(4, 2) : -1;
        final boolean corsica = candidate[6] == '2' && (candidate[7] == 'A' || candidate[7] == 'B');
        return (sex == '1' || sex == '2') && digits(2, 2) && (month >= 1 && month <= 12 || month >= 20 && month <= 42)
            && (corsica || digits(6, 2)) && digits(8, 8) && Checksums.nirKey(value());
    }

    private boolean iban(final int len)
    {
        return len >= 15 && upper(candidate[1]) && upper(candidate[2]) && digits(3, 2)
            && IbanCountries.length(candidate[1], candidate[2]) == len && Checksums.ibanMod97(value(), len);
    }

    /** NINO: two allocated prefix letters, six digits, suffix A-D; groups may only split at 2, 4, 6 and 8. */
    private boolean nino(final int k)
    {
        int at = 0;
        for (int g = 0; g < k - 1; g++)
        {
            at += groups[g];
            if (at != 2 && at != 4 && at != 6 && at != 8)
            {
                return false;
            }
        }
        final byte a = candidate[1];
        final byte b = candidate[2];
        final byte suffix = candidate[9];
        if ("DFIQUV".indexOf(a) >= 0 || "DFIOQUV".indexOf(b) >= 0 || !upper(a) || !upper(b) || !digits(3, 6)
            || suffix < 'A' || suffix > 'D')
        {
            return false;
        }
        final int prefix = a << 8 | b;
        return prefix != ('B' << 8 | 'G') && prefix != ('G' << 8 | 'B') && prefix != ('K' << 8 | 'N')
            && prefix != ('N' << 8 | 'K') && prefix != ('N' << 8 | 'T') && prefix != ('T' << 8 | 'N')
            && prefix != ('Z' << 8 | 'Z');
    }

    private boolean upperAlnum(final int len)
    {
        for (int i = 1; i <= len; i++)
        {
            final byte c = candidate[i];
            if (!(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z'))
            {
                return false;
            }
        }
        return true;
    }

    private boolean digits(final int from, final int count)
    {
        for (int i = from; i < from + count; i++)
        {
            if (candidate[i] < '0' || candidate[i] > '9')
            {
                return false;
            }
        }
        return true;
    }

    private int number(final int from, final int count)
    {
        int n = 0;
        for (int i = from; i < from + count; i++)
        {
            n = n * 10 + candidate[i] - '0';
        }
        return n;
    }

    private static boolean upper(final byte c)
    {
        return c >= 'A' && c <= 'Z';
    }

    // ---- exact data match ----

    private void exactData(final FlowState st, final int chain, final int digitWords)
    {
        for (int t = 0; t < engine.edm.length; t++)
        {
            final EdmTable table = engine.edm[t];
            long hits = 0;
            if (0 != table.digitsColumns)
            {
                for (int k = 1; k <= digitWords; k++)
                {
                    final int len = concat(st, k);
                    if (len >= EdmTable.MIN_DIGITS)
                    {
                        candidate[0] = EdmColumnType.DIGITS.tag();
                        hits |= probe(t, len + 1) & table.digitsColumns;
                    }
                }
            }
            if ((table.alnumColumns | table.textColumns) != 0)
            {
                hits |= wordsProbe(st, t, chain);
            }
            if (hits != 0)
            {
                reportColumns(st, t, hits);
            }
        }
    }

    /**
     * Probes the alnum and text columns with the last one to four words: alnum candidates need a digit in
     * them, and a word with an underscore ends the candidates (neither normal form has one).
     */
    private long wordsProbe(final FlowState st, final int t, final int chain)
    {
        final EdmTable table = engine.edm[t];
        final int mask = FlowState.WORDS - 1;
        long hits = 0;
        int flags = 0;
        for (int k = 1; k <= Math.min(chain, EdmTable.MAX_TEXT_WORDS); k++)
        {
            flags |= st.wordFlags[(st.words - k) & mask];
            if ((flags & UNDERSCORE) != 0)
            {
                break;
            }
            if (0 != table.alnumColumns && (flags & DIGIT) != 0)
            {
                final int len = concat(st, k);
                if (len >= EdmTable.MIN_ALNUM)
                {
                    candidate[0] = EdmColumnType.ALNUM.tag();
                    for (int i = 1; i <= len; i++)
                    {
                        final byte c = candidate[i];
                        candidate[i] = (byte)(c >= 'a' && c <= 'z' ? c - 32 : c);
                    }
                    hits |= probe(t, len + 1) & table.alnumColumns;
                }
            }
            if (0 != table.textColumns)
            {
                final int textLength = textCandidate(st, k);
                if (textLength >= EdmTable.MIN_TEXT)
                {
                    hits |= probe(t, textLength + 1) & table.textColumns;
                }
            }
        }
        return hits;
    }

    /**
     * The last {@code k} words lower-cased and joined by one space, from index 1 of {@code candidate}; -1 when
     * longer than {@link EdmTable#MAX_VALUE}.
     */
    private int textCandidate(final FlowState st, final int k)
    {
        final int mask = FlowState.WORDS - 1;
        candidate[0] = EdmColumnType.TEXT.tag();
        int len = 0;
        for (int j = k - 1; j >= 0; j--)
        {
            final int w = (st.words - 1 - j) & mask;
            if (len + st.wordLength[w] + 1 > EdmTable.MAX_VALUE)
            {
                return -1;
            }
            if (len > 0)
            {
                candidate[1 + len++] = ' ';
            }
            final long start = st.wordStart[w];
            for (int c = 0; c < st.wordLength[w]; c++)
            {
                final byte b = st.ring[(int)(start + c) & FlowState.RING_MASK];
                candidate[1 + len++] = (byte)(b >= 'A' && b <= 'Z' ? b + 32 : b);
            }
        }
        return len;
    }

    private boolean anyDigit(final int len)
    {
        for (int i = 1; i <= len; i++)
        {
            if (candidate[i] >= '0' && candidate[i] <= '9')
            {
                return true;
            }
        }
        return false;
    }

    /** Column bits of the keyed hash of {@code candidate[0..len)} (tag and value) in table {@code t}, or 0. */
    private long probe(final int t, final int len)
    {
        final EdmTable table = engine.edm[t];
        if (!table.mightContain(table.prefilterHash(candidate, len)))
        {
            return 0;
        }
        final Mac mac = macs[t];
        mac.update(candidate, 0, len);
        try
        {
            mac.doFinal(hmac, 0);
        }
        catch (final ShortBufferException ex)
        {
            throw new IllegalStateException("HMAC-SHA256 output is 32 bytes", ex);
        }
        return table.columns(hmac);
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

    /** A dot in a token, or one of the three bytes after its first dot (a JWT's payload starts {@code eyJ}). */
    private static void tokenDot(final FlowState st, final byte b, final int cls, final int n)
    {
        if ((cls & DOT) != 0)
        {
            if (st.tokenDots++ == 0)
            {
                st.tokenDotAt = n;
            }
            st.tokenLastDot = n;
        }
        else if (st.tokenDots == 1)
        {
            st.tokenAfterDot[n - st.tokenDotAt - 1] = b;
        }
    }

    private void tokenEnded(final FlowState st, final long p)
    {
        final long start = p - st.tokenLength;
        int len = st.tokenLength;
        int dots = st.tokenDots;
        final int lastSegment = len - st.tokenLastDot - 1;
        final int tokenFlags = st.tokenFlags;
        st.resetToken();
        if (dots > 0 && lastSegment == 0)
        {
            // A sentence's full stop after a token is not part of it.
            len--;
            dots--;
        }
        final int flags = dots == 0 ? tokenFlags & ~DOT : tokenFlags;
        if (len < 20)
        {
            return;
        }
        final byte[] h = st.tokenHead;
        final int plain = LETTERS | DIGIT;
        if (len == 20 && (flags & ~(UPPER | DIGIT | WORD | TOKEN)) == 0 && h[0] == 'A'
            && (startsWith(h, "AKIA") || startsWith(h, "ASIA") || startsWith(h, "ABIA") || startsWith(h, "ACCA")))
        {
            secret(st, DetectorType.AWS_ACCESS_KEY_ID, 4, len);
        }
        else if ((len == 40 && h[0] == 'g' && h[1] == 'h' && h[3] == '_' && "pousr".indexOf(h[2]) >= 0
            || len == 93 && startsWith(h, "github_pat_")) && (flags & (DASH | DOT | PLUS_SLASH)) == 0)
        {
            secret(st, DetectorType.GITHUB_TOKEN, h[3] == '_' ? 4 : 11, len);
        }
        else if (h[0] == 'x' && startsWith(h, "xox") && "baprs".indexOf(h[3]) >= 0 && h[4] == '-'
            && (flags & (DOT | PLUS_SLASH | UNDERSCORE)) == 0 && (flags & DIGIT) != 0)
        {
            secret(st, DetectorType.SLACK_TOKEN, 5, len);
        }
        else if (len == 39 && startsWith(h, "AIza") && (flags & (DOT | PLUS_SLASH)) == 0)
        {
            secret(st, DetectorType.GOOGLE_API_KEY, 4, len);
        }
        else if (dots == 2 && startsWith(h, "eyJ") && st.tokenAfterDot[0] == 'e' && st.tokenAfterDot[1] == 'y'
            && st.tokenAfterDot[2] == 'J' && (flags & PLUS_SLASH) == 0 && lastSegment >= 16)
        {
            secret(st, DetectorType.JWT, 3, len);
        }
        else if (len == 40 && (flags & (DASH | DOT | UNDERSCORE)) == 0 && (flags & plain) == plain
            && on(DetectorType.AWS_SECRET_ACCESS_KEY) && secretWordBefore(st, start))
        {
            secret(st, DetectorType.AWS_SECRET_ACCESS_KEY, 0, len);
        }
    }

    /** The word {@code secret}, any case, within the 64 bytes before {@code start}. */
    private static boolean secretWordBefore(final FlowState st, final long start)
    {
        final byte[] r = st.ring;
        for (long i = Math.max(0, start - 64); i + 6 <= start; i++)
        {
            if ((r[(int)i & FlowState.RING_MASK] | 32) == 's' && (r[(int)(i + 1) & FlowState.RING_MASK] | 32) == 'e'
                && (r[(int)(i + 2) & FlowState.RING_MASK] | 32) == 'c' && (r[(int)(i + 3) & FlowState.RING_MASK] | 32) == 'r'
                && (r[(int)(i + 4) & FlowState.RING_MASK] | 32) == 'e' && (r[(int)(i + 5) & FlowState.RING_MASK] | 32) == 't')
            {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWith(final byte[] head, final String prefix)
    {
        for (int i = 0; i < prefix.length(); i++)
        {
            if (head[i] != prefix.charAt(i))
            {
                return false;
            }
        }
        return true;
    }

    private void secret(final FlowState st, final DetectorType type, final int keep, final int len)
    {
        if (!on(type))
        {
            return;
        }
        sampleLength = 0;
        for (int i = 0; i < keep; i++)
        {
            sample[sampleLength++] = st.tokenHead[i];
        }
        while (sampleLength < Math.min(len, 40))
        {
            sample[sampleLength++] = '*';
        }
        report(st, type);
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
            final String text = engine.terms[term];
            sampleLength = Math.min(text.length(), sample.length);
            for (int i = 0; i < sampleLength; i++)
            {
                sample[i] = (byte)text.charAt(i);
            }
            for (final int slot : engine.termSlots[term])
            {
                record(st, slot);
            }
        }
    }

    // ---- counting and reporting ----

    /** Masks {@code candidate[1..len]} into the sample, keeping {@code head} and {@code tail} characters. */
    private void maskKeep(final int len, final int head, final int tail)
    {
        sampleLength = Math.min(len, sample.length);
        for (int i = 0; i < sampleLength; i++)
        {
            sample[i] = i < head || i >= len - tail ? candidate[1 + i] : (byte)'*';
        }
    }

    private void report(final FlowState st, final DetectorType type)
    {
        for (final int slot : engine.typeSlots[type.ordinal()])
        {
            record(st, slot);
        }
    }

    private void record(final FlowState st, final int slot)
    {
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
