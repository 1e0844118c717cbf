package io.opensase.core.control.api;

import io.opensase.core.config.ConfigException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The named bearer tokens of a tokens file; immutable, safe to share between threads.
 *
 * <p>The file holds one {@code name: token} (or {@code name token}) a line; a line whose first non-blank
 * character is {@code #} is a comment, and blank lines are skipped. The name is the principal that the audit
 * log and the engine see. A name is 1 to 64 of {@code A-Z a-z 0-9 . _ @ -}; a token is 16 to 512 characters
 * of the RFC 6750 token alphabet ({@code A-Z a-z 0-9 - . _ ~ + /}, then {@code =} padding), so that
 * {@code openssl rand -hex 32} or {@code openssl rand -base64 32} make one. Names and tokens are unique.
 * There is no default token: a file without one is refused, as is a file that others may read or that
 * anyone but its owner may write (POSIX file systems).
 *
 * <p>Tokens are kept as SHA-256 digests and a presented token is compared with every one of them, in time
 * that depends neither on where it differs nor on which one matches.
 */
public final class BearerTokens
{
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]+=*");
    static final int MIN_TOKEN_LENGTH = 16;
    static final int MAX_TOKEN_LENGTH = 512;

    private final String[] principals;
    private final byte[][] digests;

    private BearerTokens(final List<String> principals, final List<byte[]> digests)
    {
        this.principals = principals.toArray(String[]::new);
        this.digests = digests.toArray(byte[][]::new);
    }

    /**
     * Reads a tokens file.
     *
     * @throws ConfigException {@code file:line: reason} for a bad line, an empty file, or one that cannot be
     *                         read (line 0).
     */
    public static BearerTokens load(final Path file) throws ConfigException
    {
        checkPermissions(file);
        final String text;
        try
        {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        }
        catch (final NoSuchFileException ex)
        {
            throw new ConfigException(file, 0, "", "no such file");
        }
        catch (final CharacterCodingException ex)
        {
            throw new ConfigException(file, 0, "", "not UTF-8 text");
        }
        catch (final IOException ex)
        {
            throw new ConfigException(file, 0, "", "cannot read the file: " + ex.getMessage());
        }
        return parse(file, text);
    }

    /** Reads the text of a tokens file; {@code file} names it in errors. */
    public static BearerTokens parse(final Path file, final String text) throws ConfigException
    {
        final List<String> principals = new ArrayList<>();
        final List<byte[]> digests = new ArrayList<>();
        final Map<String, Integer> nameLines = new HashMap<>();
        final Map<String, Integer> tokenLines = new HashMap<>();
        final String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++)
        {
            final int lineNo = i + 1;
            final String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#"))
            {
                continue;
            }
            final String[] fields = split(line);
            if (null == fields)
            {
                throw new ConfigException(file, lineNo, "", "expected 'name: token'");
            }
            final String name = fields[0];
            final String token = fields[1];
            if (!NAME.matcher(name).matches())
            {
                throw new ConfigException(file, lineNo, "", "name '" + printable(name)
                    + "': 1 to 64 of A-Z a-z 0-9 . _ @ -");
            }
            if (token.length() < MIN_TOKEN_LENGTH || token.length() > MAX_TOKEN_LENGTH)
            {
                throw new ConfigException(file, lineNo, "", "token of '" + name + "': " + token.length()
                    + " characters; " + MIN_TOKEN_LENGTH + " to " + MAX_TOKEN_LENGTH + " are needed"
                    + " (openssl rand -hex 32 makes one)");
            }
            if (!TOKEN.matcher(token).matches())
            {
                throw new ConfigException(file, lineNo, "", "token of '" + name
                    + "': only A-Z a-z 0-9 - . _ ~ + / and trailing = may appear in a bearer token");
            }
            final Integer sameName = nameLines.putIfAbsent(name, lineNo);
            if (null != sameName)
            {
                throw new ConfigException(file, lineNo, "", "name '" + name + "' given twice (first on line "
                    + sameName + ")");
            }
            final Integer sameToken = tokenLines.putIfAbsent(token, lineNo);
            if (null != sameToken)
            {
                throw new ConfigException(file, lineNo, "", "token of '" + name + "' is the token of line "
                    + sameToken + "; every principal needs its own");
            }
            principals.add(name);
            digests.add(sha256(token));
        }
        if (principals.isEmpty())
        {
            throw new ConfigException(file, Math.max(1, lines.length - (text.endsWith("\n") ? 1 : 0)), "",
                "no tokens; one 'name: token' a line is needed (there is no default token)");
        }
        return new BearerTokens(principals, digests);
    }

    /**
     * The principal whose token {@code presented} is, or null. Every stored digest is compared, whether or
     * not an earlier one matched.
     */
    public String principalOf(final String presented)
    {
        if (null == presented || presented.isEmpty() || presented.length() > MAX_TOKEN_LENGTH)
        {
            return null;
        }
        final byte[] digest = sha256(presented);
        int match = -1;
        for (int i = 0; i < digests.length; i++)
        {
            final boolean equal = MessageDigest.isEqual(digests[i], digest);
            match = equal ? i : match;
        }
        return match < 0 ? null : principals[match];
    }

    /** The principals, in file order. */
    public List<String> principals()
    {
        return List.of(principals);
    }

    private static String[] split(final String line)
    {
        final int colon = line.indexOf(':');
        final String name;
        final String token;
        if (colon >= 0)
        {
            name = line.substring(0, colon).strip();
            token = line.substring(colon + 1).strip();
        }
        else
        {
            final String[] words = line.split("\\s+");
            if (words.length != 2)
            {
                return null;
            }
            name = words[0];
            token = words[1];
        }
        if (name.isEmpty() || token.isEmpty() || token.chars().anyMatch(Character::isWhitespace))
        {
            return null;
        }
        return new String[] {name, token};
    }

    private static void checkPermissions(final Path file) throws ConfigException
    {
        final Set<PosixFilePermission> permissions;
        try
        {
            permissions = Files.getPosixFilePermissions(file);
        }
        catch (final UnsupportedOperationException | IOException ex)
        {
            return;
        }
        if (permissions.contains(PosixFilePermission.OTHERS_READ)
            || permissions.contains(PosixFilePermission.OTHERS_WRITE)
            || permissions.contains(PosixFilePermission.GROUP_WRITE))
        {
            throw new ConfigException(file, 0, "", "readable by others, or writable by others than its owner ("
                + PosixFilePermissions.toString(permissions) + "); chmod 600 or 640 it");
        }
    }

    private static String printable(final String text)
    {
        final StringBuilder out = new StringBuilder();
        text.codePoints().limit(64).forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }

    static byte[] sha256(final String text)
    {
        try
        {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("every JDK has SHA-256", ex);
        }
    }
}
