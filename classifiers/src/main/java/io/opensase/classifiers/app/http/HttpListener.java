package io.opensase.classifiers.app.http;

import java.lang.foreign.MemorySegment;

/**
 * Receives what an {@link HttpParser} finds, on the parser's worker thread, from inside {@link HttpParser#feed}
 * (and {@link HttpParser#end}). The {@link HttpMessage} and the segments passed are views valid only during the
 * call; a listener copies what it keeps. A listener must not call back into the parser.
 */
public interface HttpListener
{
    /** A request line and its headers are complete. */
    void onRequest(int flow, HttpMessage request);

    /** A status line and its headers are complete (1xx interim responses included). */
    void onResponse(int flow, HttpMessage response);

    /**
     * Body bytes, de-chunked and decompressed, as they arrive: the {@code length} bytes of {@code data} from
     * {@code offset}, valid during the call (given in place, so that no slice is made per call).
     *
     * @param bodyOffset offset of the first of them in the decoded body; a gap in an uncompressed body
     *                   advances it by the bytes lost.
     */
    void onBody(int flow, HttpMessage message, MemorySegment data, long offset, int length, long bodyOffset);

    /** The message is over: its body completed (Content-Length, last chunk, end of stream) or it had none. */
    void onMessageEnd(int flow, HttpMessage message);

    /**
     * Part of the message's body will not be delivered, or will be delivered still encoded
     * ({@link BodyCut#CODING}, said before its first byte; {@link HttpMessage#bodyCut()} now says why): called
     * once per message, when it happens, before {@link #onMessageEnd}. A listener that must see whole bodies
     * (DLP) acts here; the default does nothing.
     */
    default void onBodyCut(final int flow, final HttpMessage message, final BodyCut why)
    {
    }

    /**
     * A message's start line and headers ran past {@link HttpLimits#headerBytes()} before their end: the message
     * is not parsed (no {@link #onRequest} or {@link #onResponse}, its body never delivered) but framed, so that
     * the messages after it are (see {@link HttpParser}); {@code request} tells which direction. Called once per
     * such message,
     * unless {@link #onNoHeaderBlock} was for it. A listener that must see every request (DLP) acts here; the
     * default does nothing.
     */
    default void onHeadersTooLong(final int flow, final boolean request)
    {
    }

    /**
     * A message started while every header block of the parser's pool was held by messages in progress: it is
     * not parsed (no other callback for it, its body never delivered) but framed, so that the messages after it
     * are; {@code request} tells which direction. Called once per such message, at its first byte, and the
     * only call for it (a head that then turns out malformed or too long is not reported again); by default it
     * is taken as {@link #onHeadersTooLong}.
     */
    default void onNoHeaderBlock(final int flow, final boolean request)
    {
        onHeadersTooLong(flow, request);
    }

    /**
     * A start line that is none (no method, target and version; a status line not starting {@code HTTP/}): the
     * direction resynchronises, and its bytes up to the next start line are neither a message nor a body;
     * {@code request} tells which direction. Called once per such line; an answer to a waiting request taken as
     * an HTTP/0.9 body is not one. A listener that must see every byte a client sends (DLP) acts here; the
     * default does nothing.
     */
    default void onStartLineMalformed(final int flow, final boolean request)
    {
    }
}
