package io.opensase.core.control.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A client over a plain socket, for what java.net.http will not send: malformed heads, HTTP/1.0, pipelined
 * requests, bodies trickled or too large. Reads responses framed by their Content-Length.
 */
final class RawHttp implements AutoCloseable
{
    private final Socket socket;
    private final InputStream in;

    record Response(int status, Map<String, String> headers, String body)
    {
        String header(final String name)
        {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    RawHttp(final InetSocketAddress address) throws IOException
    {
        socket = new Socket();
        socket.connect(address, 2000);
        socket.setSoTimeout(5000);
        in = socket.getInputStream();
    }

    RawHttp send(final String text) throws IOException
    {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawHttp send(final byte[] bytes) throws IOException
    {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    void timeout(final int ms) throws IOException
    {
        socket.setSoTimeout(ms);
    }

    /** The next response; fails when the connection closes or nothing comes within the timeout. */
    Response read() throws IOException
    {
        final String statusLine = line();
        if (null == statusLine)
        {
            throw new IOException("connection closed before a response");
        }
        final String[] parts = statusLine.split(" ", 3);
        if (!parts[0].startsWith("HTTP/1."))
        {
            throw new IOException("not an HTTP response: " + statusLine);
        }
        final Map<String, String> headers = new TreeMap<>();
        for (String line = line(); null != line && !line.isEmpty(); line = line())
        {
            final int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        final int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        final byte[] body = in.readNBytes(length);
        if (body.length != length)
        {
            throw new IOException("body cut short: " + body.length + " of " + length);
        }
        return new Response(Integer.parseInt(parts[1]), headers, new String(body, StandardCharsets.UTF_8));
    }

    /** True when the server closed the connection (end of stream or reset) within the socket timeout. */
    boolean closedByPeer() throws IOException
    {
        try
        {
            return in.read() < 0;
        }
        catch (final SocketTimeoutException ex)
        {
            return false;
        }
        catch (final IOException ex)
        {
            return true;
        }
    }

    /** Everything until the peer closes (or the timeout), as ISO-8859-1 text. */
    String readAll() throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final byte[] buffer = new byte[4096];
        try
        {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer))
            {
                out.write(buffer, 0, n);
            }
        }
        catch (final SocketTimeoutException ex)
        {
            out.write("<timeout>".getBytes(StandardCharsets.ISO_8859_1));
        }
        catch (final IOException ex)
        {
            out.write(("<" + ex.getMessage() + ">").getBytes(StandardCharsets.ISO_8859_1));
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private String line() throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int c = in.read(); c >= 0; c = in.read())
        {
            if (c == '\n')
            {
                final String text = out.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            out.write(c);
        }
        return out.size() == 0 ? null : out.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }
}
