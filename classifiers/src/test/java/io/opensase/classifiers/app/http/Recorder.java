package io.opensase.classifiers.app.http;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** A listener that copies everything it is given, for assertions after the calls. */
final class Recorder implements HttpListener
{
    /** One message: its fields as strings, its decoded body, whether it ended, and the body offsets seen. */
    static final class Message
    {
        final boolean request;
        final int flow;
        final int transaction;
        final long declaredLength;
        final boolean chunked;
        final Map<HttpField, String> fields = new EnumMap<>(HttpField.class);
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        final List<Long> offsets = new ArrayList<>();
        boolean ended;
        /** {@link HttpMessage#bodyLength()} at its end. */
        long bodyLength = -1;
        /** Some body bytes were lost: an offset passed the bytes delivered before it. */
        boolean gapped;
        /** Why part of the body was not delivered (from {@link HttpListener#onBodyCut}), or null. */
        BodyCut cut;
        /** The view's {@link HttpMessage#bodyCut()} during that call. */
        BodyCut cutSeenInView;
        /** Calls to onBodyCut for this message, and whether any came after its end. */
        int cutCalls;
        boolean cutAfterEnd;

        Message(final int flow, final HttpMessage message)
        {
            this.flow = flow;
            request = message.isRequest();
            transaction = message.transactionIndex();
            declaredLength = message.declaredContentLength();
            chunked = message.chunked();
            for (final HttpField field : HttpField.values())
            {
                fields.put(field, text(message.get(field)));
            }
        }

        String field(final HttpField field)
        {
            return fields.get(field);
        }

        String bodyText()
        {
            return body.toString(StandardCharsets.ISO_8859_1);
        }
    }

    final List<Message> messages = new ArrayList<>();
    /** A body that has had this many bytes delivered is declined ({@link HttpMessage#declineRestOfBody}). */
    long declineFrom = Long.MAX_VALUE;
    /** Per {@link HttpListener#onHeadersTooLong} call: "request" or "response". */
    final List<String> headersTooLong = new ArrayList<>();
    /** Per {@link HttpListener#onStartLineMalformed} call: "request" or "response". */
    final List<String> startLinesMalformed = new ArrayList<>();
    private final Map<Integer, Message> current = new java.util.HashMap<>();

    static String text(final MemorySegment segment)
    {
        return new String(segment.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.ISO_8859_1);
    }

    List<Message> requests()
    {
        return messages.stream().filter(m -> m.request).toList();
    }

    List<Message> responses()
    {
        return messages.stream().filter(m -> !m.request).toList();
    }

    @Override
    public void onHeadersTooLong(final int flow, final boolean request)
    {
        headersTooLong.add(request ? "request" : "response");
    }

    @Override
    public void onStartLineMalformed(final int flow, final boolean request)
    {
        startLinesMalformed.add(request ? "request" : "response");
    }

    @Override
    public void onRequest(final int flow, final HttpMessage request)
    {
        start(flow, request);
    }

    @Override
    public void onResponse(final int flow, final HttpMessage response)
    {
        start(flow, response);
    }

    private void start(final int flow, final HttpMessage message)
    {
        final Message recorded = new Message(flow, message);
        messages.add(recorded);
        current.put(key(flow, message), recorded);
    }

    @Override
    public void onBody(final int flow, final HttpMessage message, final MemorySegment data, final long offset,
        final int length, final long bodyOffset)
    {
        final Message recorded = current.get(key(flow, message));
        recorded.offsets.add(bodyOffset);
        recorded.gapped |= bodyOffset != recorded.body.size();
        recorded.body.writeBytes(data.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE));
        if (recorded.body.size() >= declineFrom)
        {
            message.declineRestOfBody();
        }
    }

    @Override
    public void onMessageEnd(final int flow, final HttpMessage message)
    {
        current.get(key(flow, message)).ended = true;
        current.get(key(flow, message)).bodyLength = message.bodyLength();
    }

    @Override
    public void onBodyCut(final int flow, final HttpMessage message, final BodyCut why)
    {
        final Message recorded = current.get(key(flow, message));
        recorded.cut = why;
        recorded.cutSeenInView = message.bodyCut();
        recorded.cutCalls++;
        recorded.cutAfterEnd |= recorded.ended;
    }

    private static int key(final int flow, final HttpMessage message)
    {
        return flow * 2 + (message.isRequest() ? 0 : 1);
    }
}
