package io.opensase.core.audit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret that seals audit entries: 32 bytes, kept as 64 hex digits (and a newline) in a file of its own,
 * readable by its owner only and kept outside the log's directory, so that whoever can rewrite the log
 * cannot also recompute its macs. Immutable; any thread ({@link #newMac()} hands each caller its own
 * {@link Mac}).
 */
public final class AuditKey
{
    /** Key length in bytes. */
    public static final int LENGTH = 32;

    private static final String ALGORITHM = "HmacSHA256";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OPEN_TO_OTHERS = Set.of(
        PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
        PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final Path file;
    private final SecretKeySpec key;

    private AuditKey(final Path file, final byte[] bytes)
    {
        this.file = file;
        this.key = new SecretKeySpec(bytes, ALGORITHM);
    }

    /**
     * Reads a key file: a regular file whose mode gives group and others nothing (0600 or 0400), holding 64
     * hex digits and an optional newline.
     *
     * @throws AuditException naming the file and the problem (missing, open to others, not a key).
     */
    public static AuditKey read(final Path file) throws AuditException
    {
        try
        {
            if (!Files.isRegularFile(file))
            {
                throw new AuditException(file + ": " + (Files.exists(file) ? "not a file" : "no such file"));
            }
            final Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.stream().anyMatch(OPEN_TO_OTHERS::contains))
            {
                throw new AuditException(file + ": key file is open to others (mode "
                    + PosixFilePermissions.toString(permissions) + "); allow its owner only: chmod 600 " + file);
            }
            final byte[] content = Files.readAllBytes(file);
            int length = content.length;
            if (length > 0 && '\n' == content[length - 1])
            {
                length--;
            }
            if (2 * LENGTH != length || !isHex(content, length))
            {
                throw new AuditException(file + ": not an audit key: expected " + 2 * LENGTH
                    + " hex digits (" + LENGTH + " bytes) and a newline, as 'opensase audit keygen' writes");
            }
            final String hex = new String(content, 0, length, StandardCharsets.US_ASCII);
            return new AuditKey(file, HexFormat.of().parseHex(hex));
        }
        catch (final UnsupportedOperationException ex)
        {
            throw new AuditException(file + ": cannot check who may read the key (no POSIX permissions here)");
        }
        catch (final IOException ex)
        {
            throw new AuditException(file + ": cannot read the key: " + reason(ex), ex);
        }
    }

    /**
     * Reads a key file as {@link #read(Path)} does, and refuses one inside {@code logDirectory} or below it
     * (by its own path or by the file a link leads to).
     */
    public static AuditKey readOutside(final Path file, final Path logDirectory) throws AuditException
    {
        refuseInside(file, logDirectory, "key file");
        return read(file);
    }

    /**
     * Writes a new key file: 32 bytes from {@link SecureRandom} as 64 hex digits and a newline, created with
     * mode 0600 (never wider, whatever the umask) and synced. An existing file is never replaced: a log can
     * only be verified with the key it was written with.
     *
     * @throws AuditException naming the file when it exists or cannot be written.
     */
    public static void generate(final Path file) throws AuditException
    {
        final byte[] bytes = new byte[LENGTH];
        new SecureRandom().nextBytes(bytes);
        final byte[] text = (HexFormat.of().formatHex(bytes) + "\n").getBytes(StandardCharsets.US_ASCII);
        try (FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(OWNER_ONLY)))
        {
            channel.write(java.nio.ByteBuffer.wrap(text));
            channel.force(true);
        }
        catch (final FileAlreadyExistsException ex)
        {
            throw new AuditException(file + ": already exists; a key is never replaced (logs sealed with it "
                + "could no longer be verified)");
        }
        catch (final IOException ex)
        {
            throw new AuditException(file + ": cannot write the key: " + reason(ex), ex);
        }
        AuditFiles.syncDirectory(file);
    }

    /** The file the key was read from. */
    public Path file()
    {
        return file;
    }

    /** A fresh HMAC-SHA256 instance keyed with this key, for the calling thread only. */
    Mac newMac()
    {
        try
        {
            final Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", ex);
        }
    }

    @Override
    public String toString()
    {
        return "AuditKey[" + file + "]";
    }

    static void refuseInside(final Path file, final Path logDirectory, final String what) throws AuditException
    {
        final Path directory = logDirectory.toAbsolutePath().normalize();
        final Path realDirectory = realPath(directory);
        final Path named = file.toAbsolutePath().normalize();
        Path real = named;
        if (Files.exists(named, LinkOption.NOFOLLOW_LINKS))
        {
            real = realPath(named);
        }
        else if (null != named.getParent() && Files.isDirectory(named.getParent()))
        {
            real = realPath(named.getParent()).resolve(named.getFileName());
        }
        if (named.startsWith(directory) || named.startsWith(realDirectory) || real.startsWith(realDirectory))
        {
            throw new AuditException(file + ": " + what + " is inside the log's directory " + logDirectory
                + "; keep it elsewhere, so that whoever can change the log cannot change it too");
        }
    }

    private static Path realPath(final Path path) throws AuditException
    {
        try
        {
            return path.toRealPath();
        }
        catch (final NoSuchFileException ex)
        {
            throw new AuditException(path + ": no such file or directory");
        }
        catch (final IOException ex)
        {
            throw new AuditException(path + ": " + reason(ex), ex);
        }
    }

    private static boolean isHex(final byte[] content, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            final byte b = content[i];
            if (!(b >= '0' && b <= '9' || b >= 'a' && b <= 'f' || b >= 'A' && b <= 'F'))
            {
                return false;
            }
        }
        return true;
    }

    static String reason(final IOException ex)
    {
        if (ex instanceof NoSuchFileException)
        {
            return "no such file";
        }
        if (ex instanceof java.nio.file.AccessDeniedException)
        {
            return "permission denied";
        }
        return null == ex.getMessage() ? ex.getClass().getSimpleName() : ex.getMessage();
    }
}
