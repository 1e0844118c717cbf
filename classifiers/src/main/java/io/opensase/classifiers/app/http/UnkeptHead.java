package io.opensase.classifiers.app.http;

/**
 * Reads the head of a message that found no header block free, one byte at a time (the caller passes over the
 * lines {@link #passesLine} says change nothing) and without keeping it, for what framing needs: a request's
 * method (HEAD and CONNECT change its response) and whether its line carries a version (without one it is
 * HTTP/0.9 and has no headers), a response's status code, and the Content-Length and Transfer-Encoding headers,
 * their values read on over continuation lines (obsolete folding), as the stored scan reads them.
 * Each decision is the one {@link HttpParser} takes on a head it keeps (the same tokens, blanks, line ends and
 * case rules), so that a message is framed alike with a block or without. Owned by its parser's worker thread.
 * <p>
 * <b>State.</b> {@value #INTS} ints per direction in the parser's {@code lineParts}: they hold the start line's
 * token offsets into a header block, so they are free while the direction's message holds none, and they are
 * zero, this reader's state at a message's first byte, once a message is over. A Content-Length value is
 * summed in the parser's {@code remaining}, free until the body starts. So no memory is added per flow.
 */
final class UnkeptHead
{
    /** Ints of state per direction: as many as the parser's {@code lineParts} holds. */
    static final int INTS = 6;

    /** Nothing to act on at this byte. */
    static final int MORE = 0;
    /** The start line ended and is none (as the stored head's parse would find): the message is malformed. */
    static final int BAD_START_LINE = 1;
    /** The head ended: at the empty line after the headers, or at the line of an HTTP/0.9 request. */
    static final int HEAD_END = 2;
    /**
     * A Content-Length header ended: {@link #contentLength} is its value, -1 when it is no number. A bit, as it
     * is known only at the first byte of the next line (which could continue it), which may end the head
     * ({@link #HEAD_END}) or be a malformed line's ({@link #MALFORMED_HEADER_LINE}) too.
     */
    static final int CONTENT_LENGTH = 8;
    /** A Transfer-Encoding value names {@code chunked}. */
    static final int CHUNKED = 4;
    /** A header line without a colon, or with an empty name. */
    static final int MALFORMED_HEADER_LINE = 5;

    // Where each direction's ints sit, from fd * INTS.
    /** The part of the head the next byte belongs to. */
    private static final int PART = 0;
    /** Bytes of {@link #WORD} matched so far in the current token. */
    private static final int MATCH = 1;
    /** The word the current token is compared with, or {@link #NO_WORD}. */
    private static final int WORD = 2;
    /** A request's method flags, or a response's status code. */
    private static final int START_LINE = 3;
    /** Request line: its tokens after the method, up to the last byte that was no blank or CR. Else digits read. */
    private static final int TOKENS = 4;
    /** Request line: {@link #TOKENS} with the blanks and CRs read since applied, which a line end drops. */
    private static final int TAIL = 5;
    private static final int COUNT = TOKENS;
    /**
     * Header lines: the part a Content-Length or Transfer-Encoding value was in when its line ended, where a
     * continuation line goes on; {@link #WORD} then names the header until the next line's first byte.
     */
    private static final int FOLDED_PART = TAIL;

    // Parts of the start line.
    private static final int LEAD = 0;
    private static final int FIRST_TOKEN = 1;
    private static final int TARGET = 2;
    private static final int CODE_GAP = 3;
    private static final int CODE = 4;
    /** A CR after the status code: the line may end in blanks and CRs only. */
    private static final int CODE_CR = 5;
    private static final int REASON = 6;
    private static final int BAD_LINE = 7;
    // Parts of a header line.
    private static final int LINE_START = 8;
    /** A header line that starts with a CR: the empty line ending the head when a LF follows. */
    private static final int LINE_CR = 9;
    private static final int NAME = 10;
    /** Blanks after a whole Content-Length or Transfer-Encoding name, before its colon. */
    private static final int NAME_END = 11;
    private static final int SKIP_LINE = 12;
    private static final int LENGTH_LEAD = 13;
    private static final int LENGTH_DIGITS = 14;
    private static final int LENGTH_TRAIL = 15;
    private static final int LENGTH_BAD = 16;
    private static final int ENCODING = 17;

    private static final int NO_WORD = 0;
    private static final int WORD_HEAD = 1;
    private static final int WORD_CONNECT = 2;
    private static final int WORD_HTTP = 3;
    private static final int WORD_CONTENT_LENGTH = 4;
    private static final int WORD_TRANSFER_ENCODING = 5;
    /** The words by number; methods are compared as sent, the rest ignoring case. */
    private static final byte[][] WORDS = {
        {}, Ascii.bytes("HEAD"), Ascii.bytes("CONNECT"), Ascii.bytes("http/"), Ascii.bytes("content-length"),
        Ascii.bytes("transfer-encoding")};
    private static final byte[] CHUNKED_TOKEN = Ascii.bytes("chunked");

    /** {@link #TOKENS} bits: "http/" matched in the last token (0 to 5, or {@link #NOT_HTTP}), tokens, in one. */
    private static final int NOT_HTTP = 6;
    private static final int PROGRESS_MASK = 7;
    private static final int ONE_TOKEN = 8;
    private static final int TOKEN_COUNT_MASK = 3 * ONE_TOKEN;
    private static final int IN_TOKEN = 32;

    /** {@link #COUNT} bit: a CR read in a Content-Length value, which counts only when no LF follows it. */
    private static final int CR_PENDING = 256;
    private static final int LENGTH_DIGITS_MAX = 18;

    private final int[] state;
    private final long[] value;

    /**
     * @param state the parser's {@code lineParts}, {@value #INTS} per direction.
     * @param value the parser's {@code remaining}, one per direction.
     */
    UnkeptHead(final int[] state, final long[] value)
    {
        this.state = state;
        this.value = value;
    }

    /** The request flags of the method read ({@code HttpParser.REQ_HEAD}, {@code REQ_CONNECT}), after its line. */
    int requestFlags(final int fd)
    {
        return state[fd * INTS + START_LINE];
    }

    /** The status code read, after the status line. */
    int statusCode(final int fd)
    {
        return state[fd * INTS + START_LINE];
    }

    /** At {@link #CONTENT_LENGTH}: the value of the line, -1 when it is no number of 1 to 18 digits. */
    long contentLength(final int fd)
    {
        return value[fd];
    }

    /**
     * True when the bytes of {@code fd} up to the next LF change nothing (a header line framing does not read, a
     * reason phrase, a bad start line), so that the caller may pass over them without {@link #next}.
     */
    boolean passesLine(final int fd)
    {
        final int part = state[fd * INTS + PART];
        return SKIP_LINE == part || REASON == part || BAD_LINE == part;
    }

    /** Reads the next byte of the head of {@code fd}; returns what it ended, or {@link #MORE}. */
    int next(final int fd, final boolean request, final byte b)
    {
        final int s = fd * INTS;
        final int part = state[s + PART];
        if (part >= LINE_START)
        {
            return headerLine(fd, s, part, b);
        }
        if (request)
        {
            return requestLine(s, part, b);
        }
        return statusLine(s, part, b);
    }

    /** As the stored parse: method (bytes 0x21 to 0x7E), target, and a last token starting "http/" for a version. */
    private int requestLine(final int s, final int part, final byte b)
    {
        if ('\n' == b)
        {
            final int tokens = state[s + TOKENS];
            if (TARGET != part || 0 == (tokens & TOKEN_COUNT_MASK))
            {
                return BAD_START_LINE;
            }
            if (2 * ONE_TOKEN == (tokens & TOKEN_COUNT_MASK) && 5 == (tokens & PROGRESS_MASK))
            {
                startHeaders(s);
                return MORE;
            }
            return HEAD_END;
        }
        switch (part)
        {
            case LEAD, FIRST_TOKEN ->
            {
                if (Ascii.isSpace(b))
                {
                    if (FIRST_TOKEN == part)
                    {
                        state[s + START_LINE] = matched(s) ? methodFlags(state[s + WORD]) : 0;
                        state[s + PART] = TARGET;
                    }
                }
                else if (b < 0x21 || b > 0x7E)
                {
                    state[s + PART] = BAD_LINE;
                }
                else if (LEAD == part)
                {
                    state[s + PART] = FIRST_TOKEN;
                    state[s + WORD] = 'H' == b ? WORD_HEAD : 'C' == b ? WORD_CONNECT : NO_WORD;
                    state[s + MATCH] = 1;
                }
                else
                {
                    matchAsSent(s, b);
                }
            }
            case TARGET ->
            {
                final int tail = token(state[s + TAIL], b);
                state[s + TAIL] = tail;
                if ('\r' != b && !Ascii.isSpace(b))
                {
                    state[s + TOKENS] = tail;
                }
            }
            default ->
            {
            }
        }
        return MORE;
    }

    /**
     * The token state after byte {@code b}: a blank ends a token, any other byte (a CR too) starts one or goes
     * on with it; "http/" is matched at the token's start, ignoring case.
     */
    private static int token(final int tokens, final byte b)
    {
        if (Ascii.isSpace(b))
        {
            return tokens & ~IN_TOKEN;
        }
        int t = tokens;
        if (0 == (t & IN_TOKEN))
        {
            final int count = Math.min(2 * ONE_TOKEN, (t & TOKEN_COUNT_MASK) + ONE_TOKEN);
            t = IN_TOKEN | count;
        }
        final int progress = t & PROGRESS_MASK;
        if (progress < 5)
        {
            t = (t & ~PROGRESS_MASK) | (Ascii.lower(b) == WORDS[WORD_HTTP][progress] ? progress + 1 : NOT_HTTP);
        }
        return t;
    }

    /** As the stored parse: "http/" starts the first token (bytes 0x21 to 0x7E), blanks, three digits, a blank. */
    private int statusLine(final int s, final int part, final byte b)
    {
        if ('\n' == b)
        {
            if ((CODE == part && 3 == state[s + COUNT]) || CODE_CR == part || REASON == part)
            {
                startHeaders(s);
                return MORE;
            }
            return BAD_START_LINE;
        }
        final boolean digit = b >= '0' && b <= '9';
        switch (part)
        {
            case LEAD, FIRST_TOKEN ->
            {
                if (Ascii.isSpace(b))
                {
                    if (FIRST_TOKEN == part)
                    {
                        state[s + PART] = state[s + MATCH] >= WORDS[WORD_HTTP].length ? CODE_GAP : BAD_LINE;
                    }
                }
                else if (b < 0x21 || b > 0x7E)
                {
                    state[s + PART] = BAD_LINE;
                }
                else if (LEAD == part)
                {
                    state[s + PART] = FIRST_TOKEN;
                    state[s + WORD] = WORD_HTTP;
                    state[s + MATCH] = 'h' == Ascii.lower(b) ? 1 : 0;
                    if (0 == state[s + MATCH])
                    {
                        state[s + PART] = BAD_LINE;
                    }
                }
                else if (state[s + MATCH] < WORDS[WORD_HTTP].length)
                {
                    matchIgnoringCase(s, b);
                    if (NO_WORD == state[s + WORD])
                    {
                        state[s + PART] = BAD_LINE;
                    }
                }
            }
            case CODE_GAP ->
            {
                if (digit)
                {
                    state[s + PART] = CODE;
                    state[s + START_LINE] = b - '0';
                    state[s + COUNT] = 1;
                }
                else if (!Ascii.isSpace(b))
                {
                    state[s + PART] = BAD_LINE;
                }
            }
            case CODE ->
            {
                final int digits = state[s + COUNT];
                if (digit && digits < 3)
                {
                    state[s + START_LINE] = state[s + START_LINE] * 10 + b - '0';
                    state[s + COUNT] = digits + 1;
                }
                else if (3 == digits && Ascii.isSpace(b))
                {
                    state[s + PART] = REASON;
                }
                else
                {
                    state[s + PART] = 3 == digits && '\r' == b ? CODE_CR : BAD_LINE;
                }
            }
            case CODE_CR ->
            {
                if ('\r' != b && !Ascii.isSpace(b))
                {
                    state[s + PART] = BAD_LINE;
                }
            }
            default ->
            {
            }
        }
        return MORE;
    }

    /** As the stored scan of framing headers: name before the first colon, blanks trimmed, one CR before LF dropped. */
    private int headerLine(final int fd, final int s, final int part, final byte b)
    {
        if (LINE_START == part && NO_WORD != state[s + WORD])
        {
            return afterFramingLine(fd, s, b);
        }
        if ('\n' == b)
        {
            final int ended = switch (part)
            {
                case LINE_START, LINE_CR -> HEAD_END;
                case NAME, NAME_END -> MALFORMED_HEADER_LINE;
                default -> MORE;
            };
            // The CR before the LF is no part of the value.
            final int digits = state[s + COUNT] & ~CR_PENDING;
            startHeaders(s);
            if (part >= LENGTH_LEAD)
            {
                // The value may go on over continuation lines: the next line's first byte tells.
                state[s + WORD] = ENCODING == part ? WORD_TRANSFER_ENCODING : WORD_CONTENT_LENGTH;
                state[s + FOLDED_PART] = part;
                state[s + COUNT] = ENCODING == part ? 0 : digits;
            }
            return ended;
        }
        switch (part)
        {
            case LINE_START ->
            {
                return lineStart(s, b);
            }
            case LINE_CR ->
            {
                // Not the empty line: a name starting with a CR, none of the framing ones.
                state[s + PART] = NAME;
                state[s + WORD] = NO_WORD;
                return name(s, NAME, b);
            }
            case NAME, NAME_END ->
            {
                return name(s, part, b);
            }
            case LENGTH_LEAD, LENGTH_DIGITS, LENGTH_TRAIL, LENGTH_BAD -> lengthByte(fd, s, part, b);
            case ENCODING ->
            {
                final int matched = state[s + MATCH];
                final int l = Ascii.lower(b);
                state[s + MATCH] = l == CHUNKED_TOKEN[matched] ? matched + 1 : CHUNKED_TOKEN[0] == l ? 1 : 0;
                if (CHUNKED_TOKEN.length == state[s + MATCH])
                {
                    state[s + PART] = SKIP_LINE;
                    return CHUNKED;
                }
            }
            default ->
            {
            }
        }
        return MORE;
    }

    /** The first byte of a header line: a blank continues the previous line (read by nothing here). */
    private int lineStart(final int s, final byte b)
    {
        if (':' == b)
        {
            state[s + PART] = SKIP_LINE;
            return MALFORMED_HEADER_LINE;
        }
        state[s + PART] = Ascii.isSpace(b) ? SKIP_LINE : '\r' == b ? LINE_CR : NAME;
        final int first = Ascii.lower(b);
        state[s + WORD] = 'c' == first ? WORD_CONTENT_LENGTH : 't' == first ? WORD_TRANSFER_ENCODING : NO_WORD;
        state[s + MATCH] = 1;
        return MORE;
    }

    /**
     * The first byte of the line after a Content-Length or Transfer-Encoding line: a blank continues its value
     * (libhtp joins continuation lines before reading a value); anything else ends it, and a Content-Length is
     * reported with what this byte ends, if anything.
     */
    private int afterFramingLine(final int fd, final int s, final byte b)
    {
        final int folded = state[s + FOLDED_PART];
        if (Ascii.isSpace(b))
        {
            state[s + PART] = folded;
            state[s + WORD] = NO_WORD;
            state[s + MATCH] = 0;
            if (ENCODING != folded)
            {
                lengthByte(fd, s, folded, b);
            }
            return MORE;
        }
        final boolean length = WORD_CONTENT_LENGTH == state[s + WORD];
        if (length)
        {
            value[fd] = LENGTH_DIGITS == folded || LENGTH_TRAIL == folded ? value[fd] : -1;
        }
        startHeaders(s);
        final int ended = '\n' == b ? HEAD_END : lineStart(s, b);
        return length ? CONTENT_LENGTH | ended : ended;
    }

    private int name(final int s, final int part, final byte b)
    {
        final boolean whole = NO_WORD != state[s + WORD] && matched(s);
        if (':' == b)
        {
            state[s + PART] = !whole ? SKIP_LINE : WORD_CONTENT_LENGTH == state[s + WORD] ? LENGTH_LEAD : ENCODING;
            state[s + MATCH] = 0;
            state[s + COUNT] = 0;
        }
        else if (Ascii.isSpace(b))
        {
            if (whole)
            {
                state[s + PART] = NAME_END;
            }
            else
            {
                state[s + WORD] = NO_WORD;
            }
        }
        else if (NAME_END == part)
        {
            state[s + PART] = NAME;
            state[s + WORD] = NO_WORD;
        }
        else
        {
            matchIgnoringCase(s, b);
        }
        return MORE;
    }

    /** A byte of a Content-Length value: 1 to 18 digits between blanks; a CR counts unless a LF follows it. */
    private void lengthByte(final int fd, final int s, final int part, final byte b)
    {
        int p = part;
        if (0 != (state[s + COUNT] & CR_PENDING))
        {
            p = LENGTH_BAD;
        }
        if ('\r' == b)
        {
            state[s + PART] = p;
            state[s + COUNT] |= CR_PENDING;
            return;
        }
        final boolean digit = b >= '0' && b <= '9';
        final int digits = state[s + COUNT] & ~CR_PENDING;
        switch (p)
        {
            case LENGTH_LEAD, LENGTH_DIGITS ->
            {
                if (digit && digits < LENGTH_DIGITS_MAX)
                {
                    value[fd] = (0 == digits ? 0 : value[fd] * 10) + b - '0';
                    state[s + COUNT] = digits + 1;
                    p = LENGTH_DIGITS;
                }
                else if (Ascii.isSpace(b))
                {
                    p = LENGTH_LEAD == p ? LENGTH_LEAD : LENGTH_TRAIL;
                }
                else
                {
                    p = LENGTH_BAD;
                }
            }
            case LENGTH_TRAIL -> p = Ascii.isSpace(b) ? LENGTH_TRAIL : LENGTH_BAD;
            default ->
            {
            }
        }
        state[s + PART] = p;
    }

    private void startHeaders(final int s)
    {
        state[s + PART] = LINE_START;
        state[s + MATCH] = 0;
        state[s + WORD] = NO_WORD;
        state[s + COUNT] = 0;
    }

    private boolean matched(final int s)
    {
        return state[s + MATCH] == WORDS[state[s + WORD]].length;
    }

    /** Goes on comparing the token with its word, as sent; a byte past the word or unlike it drops the word. */
    private void matchAsSent(final int s, final byte b)
    {
        final byte[] word = WORDS[state[s + WORD]];
        final int matched = state[s + MATCH];
        if (matched < word.length && word[matched] == b)
        {
            state[s + MATCH] = matched + 1;
        }
        else
        {
            state[s + WORD] = NO_WORD;
        }
    }

    private void matchIgnoringCase(final int s, final byte b)
    {
        final byte[] word = WORDS[state[s + WORD]];
        final int matched = state[s + MATCH];
        if (matched < word.length && word[matched] == Ascii.lower(b))
        {
            state[s + MATCH] = matched + 1;
        }
        else
        {
            state[s + WORD] = NO_WORD;
        }
    }

    private static int methodFlags(final int word)
    {
        return WORD_HEAD == word ? HttpParser.REQ_HEAD : WORD_CONNECT == word ? HttpParser.REQ_CONNECT : 0;
    }
}
