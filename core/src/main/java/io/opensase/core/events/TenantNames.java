package io.opensase.core.events;

/**
 * Tenant names by id, for the writer thread to put in {@code tenant_id}: ids are never reused while the engine
 * runs, so a name stays readable for flows that end after their tenant left the configuration. Written by the
 * control thread (copy on write), read by the writer thread without locks.
 */
public final class TenantNames
{
    private volatile String[] names = new String[0];

    /** Control thread: names tenant {@code id}. */
    public synchronized void put(final int id, final String name)
    {
        final String[] current = names;
        final String[] next = java.util.Arrays.copyOf(current, Math.max(current.length, id + 1));
        next[id] = name;
        names = next;
    }

    /** Any thread: the name of tenant {@code id}, or null (no tenant, or an unknown id). */
    public String name(final int id)
    {
        final String[] current = names;
        return id > 0 && id < current.length ? current[id] : null;
    }
}
