package io.opensase.core.config;

import io.opensase.core.events.EventWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks, before a run starts, the files it will read and write: the input exists and is a file; each
 * output can be created in a folder that exists; and no output is the input, or another output, under
 * another name (a link, a relative path), which writing would destroy. A run that cannot write its report
 * finds out now, not after it has processed everything.
 */
public final class RunFiles
{

    private RunFiles()
    {
    }

    /** A file the run touches, with the role that names it in messages. */
    private record Role(String name, Path file, boolean output)
    {
    }

    /**
     * @throws IllegalArgumentException saying which file and what is wrong with it.
     */
    public static void check(final EngineConfig config)
    {
        final List<Role> roles = new ArrayList<>();
        for (final PortConfig port : config.ports())
        {
            if (port instanceof CapturePortConfig capture)
            {
                roles.add(new Role("the input capture", capture.rxCapture(), false));
                if (null != capture.txCapture())
                {
                    roles.add(new Role("the output capture", capture.txCapture(), true));
                }
            }
            else if (port instanceof DpdkPortConfig device)
            {
                final Path rx = DevargsFiles.rxCapture(device.devargs());
                final Path tx = DevargsFiles.txCapture(device.devargs());
                if (null != rx)
                {
                    roles.add(new Role("the capture " + device.name() + " replays", rx, false));
                }
                if (null != tx)
                {
                    roles.add(new Role("the capture " + device.name() + " writes", tx, true));
                }
            }
        }
        if (null != config.report())
        {
            roles.add(new Role("the report", config.report(), true));
        }
        if (null != config.source())
        {
            roles.add(new Role("the configuration", config.source(), false));
        }
        if (null != config.ips())
        {
            // Found by a tester: an EVE file naming the input capture or the configuration was appended to.
            if (null != config.ips().eve())
            {
                roles.add(new Role("the IPS EVE file", config.ips().eve(), true));
            }
            for (final Path rules : config.ips().ruleFiles())
            {
                if (Files.isRegularFile(rules))
                {
                    roles.add(new Role("an IPS rule file", rules, false));
                }
            }
        }
        // events.dir is created at start, with the folders it lies in: an output may go there.
        final Path madeAtStart = null == config.events() ? null : config.events().dir().toAbsolutePath().normalize();
        for (final Role role : roles)
        {
            if (role.output())
            {
                requireCreatable(role, madeAtStart);
            }
            else
            {
                requireReadable(role);
            }
        }
        if (null != config.events() && null != config.ips() && null != config.ips().eve()
            && sameFile(config.events().dir().resolve(EventWriter.FILE_NAME), config.ips().eve()))
        {
            // The event writer keeps each file apart, rotating it on its own: one file by two names would tear.
            throw new IllegalArgumentException(config.ips().eve() + ": the IPS EVE file is events.dir's "
                + EventWriter.FILE_NAME + ", which the flow records and audit events go to: give another file");
        }
        for (int a = 0; a < roles.size(); a++)
        {
            for (int b = a + 1; b < roles.size(); b++)
            {
                if ((roles.get(a).output() || roles.get(b).output()) && sameFile(roles.get(a).file(), roles.get(b).file()))
                {
                    throw new IllegalArgumentException(roles.get(b).file() + ": " + roles.get(b).name() + " is "
                        + roles.get(a).name() + " (" + roles.get(a).file() + ") under another name; writing it would "
                        + "destroy what is there: give another file");
                }
            }
        }
    }

    private static void requireReadable(final Role role)
    {
        final Path file = role.file();
        if (Files.isDirectory(file))
        {
            throw new IllegalArgumentException(file + ": " + role.name() + " is a directory, not a capture file");
        }
        if (!Files.exists(file))
        {
            throw new IllegalArgumentException(file + ": no such file (" + role.name() + ")");
        }
        if (!Files.isReadable(file))
        {
            throw new IllegalArgumentException(file + ": permission denied (" + role.name() + ")");
        }
    }

    /** @param madeAtStart a folder the run creates at start with its parents (events.dir), or null. */
    private static void requireCreatable(final Role role, final Path madeAtStart)
    {
        final Path file = role.file().toAbsolutePath();
        if (Files.isDirectory(file))
        {
            throw new IllegalArgumentException(role.file() + ": " + role.name() + " is a directory; give a file name");
        }
        final Path folder = file.getParent();
        if (!Files.isDirectory(folder) && null != madeAtStart && madeAtStart.startsWith(folder.normalize()))
        {
            // Made at start; a folder that cannot be made stops the start there, with its reason.
            return;
        }
        if (!Files.isDirectory(folder))
        {
            throw new IllegalArgumentException(role.file() + ": folder " + folder + " does not exist (" + role.name()
                + ")");
        }
        if (Files.exists(file) ? !Files.isWritable(file) : !Files.isWritable(folder))
        {
            throw new IllegalArgumentException(role.file() + ": permission denied (" + role.name() + ")");
        }
    }

    private static boolean sameFile(final Path a, final Path b)
    {
        if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize()))
        {
            return true;
        }
        try
        {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        }
        catch (final IOException ex)
        {
            return false;
        }
    }
}
