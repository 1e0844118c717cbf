package io.opensase.classifiers.app.tls;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Handshake bytes written field by field from RFC 8446 §4.1.2, for hand-checked tests. */
final class Hellos
{
    private Hellos()
    {
    }

    static byte[] u16(final int... values)
    {
        final byte[] out = new byte[2 * values.length];
        for (int i = 0; i < values.length; i++)
        {
            out[2 * i] = (byte)(values[i] >>> 8);
            out[2 * i + 1] = (byte)values[i];
        }
        return out;
    }

    static byte[] concat(final byte[]... parts)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] part : parts)
        {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static byte[] extension(final int type, final byte[] data)
    {
        return concat(u16(type, data.length), data);
    }

    static byte[] sni(final String host)
    {
        final byte[] name = host.getBytes(StandardCharsets.US_ASCII);
        return extension(0, concat(u16(name.length + 3), new byte[] {0}, u16(name.length), name));
    }

    /** ClientHello body: version 0x0303, random 0x00..0x1f, no session id, null compression. */
    static byte[] clientHelloBody(final int[] ciphers, final byte[]... extensions)
    {
        final byte[] random = new byte[32];
        for (int i = 0; i < 32; i++)
        {
            random[i] = (byte)i;
        }
        final byte[] list = concat(extensions);
        return concat(u16(0x0303), random, new byte[] {0}, u16(2 * ciphers.length), u16(ciphers),
            new byte[] {1, 0}, u16(list.length), list);
    }

    static byte[] handshake(final int type, final byte[] body)
    {
        return concat(new byte[] {(byte)type, (byte)(body.length >>> 16), (byte)(body.length >>> 8), (byte)body.length},
            body);
    }

    static byte[] record(final int type, final int version, final byte[] fragment)
    {
        return concat(new byte[] {(byte)type}, u16(version, fragment.length), fragment);
    }
}
