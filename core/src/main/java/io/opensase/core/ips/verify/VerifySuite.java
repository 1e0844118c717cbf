package io.opensase.core.ips.verify;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * The cases under a suricata-verify tree, found as its runner finds them: any directory below the root holding
 * a test.yaml is a case, and the directories below a case are not searched. Cases come in path order and are
 * named by their path below the root ({@code defrag/bug-6887-defrag-ipv4-tcp-syn}).
 */
public final class VerifySuite
{
    private VerifySuite()
    {
    }

    /**
     * Loads every case under {@code root}.
     *
     * @throws VerifyFormatException for the first case that cannot be read; use {@link #caseDirectories} and
     *     {@link VerifyCase#load(Path, String)} to report each bad case and go on
     */
    public static List<VerifyCase> discover(final Path root) throws IOException
    {
        final List<VerifyCase> cases = new ArrayList<>();
        for (final Path directory : caseDirectories(root))
        {
            cases.add(VerifyCase.load(directory, name(root, directory)));
        }
        return cases;
    }

    /** The case directories under {@code root}, sorted by path. */
    public static List<Path> caseDirectories(final Path root) throws IOException
    {
        final List<Path> found = new ArrayList<>();
        Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
            new SimpleFileVisitor<>()
            {
                @Override
                public FileVisitResult preVisitDirectory(final Path directory, final BasicFileAttributes attributes)
                {
                    if (!directory.equals(root) && Files.isRegularFile(directory.resolve(VerifyCase.TEST_YAML)))
                    {
                        found.add(directory);
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        found.sort(null);
        return found;
    }

    /** A case's name: its path below {@code root}, with forward slashes. */
    public static String name(final Path root, final Path directory)
    {
        return root.relativize(directory).toString().replace(directory.getFileSystem().getSeparator(), "/");
    }
}
