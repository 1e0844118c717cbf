package io.opensase.classifiers.acl;

import java.util.Arrays;

/**
 * Build side: gives each distinct sorted list of rule indices (an RFC equivalence class) a dense id, id 0
 * being the empty list. Owned by the building thread.
 */
final class ClassInterner
{
    private int[][] classes = new int[256][];
    private int size;
    private int[] slots = new int[1024];
    private int mask = slots.length - 1;

    ClassInterner()
    {
        Arrays.fill(slots, -1);
        intern(new int[0], 0);
    }

    int size()
    {
        return size;
    }

    int[] get(final int id)
    {
        return classes[id];
    }

    /** The id of the list {@code rules[0..length)}, which must be sorted ascending. */
    int intern(final int[] rules, final int length)
    {
        int hash = length;
        for (int i = 0; i < length; i++)
        {
            hash = hash * 0x9E3779B1 + rules[i];
        }
        hash ^= hash >>> 15;
        int slot = hash & mask;
        while (true)
        {
            final int id = slots[slot];
            if (id < 0)
            {
                break;
            }
            final int[] known = classes[id];
            if (known.length == length && Arrays.equals(known, 0, length, rules, 0, length))
            {
                return id;
            }
            slot = (slot + 1) & mask;
        }
        if (size == classes.length)
        {
            classes = Arrays.copyOf(classes, size * 2);
        }
        classes[size] = Arrays.copyOf(rules, length);
        slots[slot] = size;
        size++;
        if (size * 2 > slots.length)
        {
            rehash();
        }
        return size - 1;
    }

    private void rehash()
    {
        slots = new int[slots.length * 2];
        mask = slots.length - 1;
        Arrays.fill(slots, -1);
        for (int id = 0; id < size; id++)
        {
            final int[] rules = classes[id];
            int hash = rules.length;
            for (final int rule : rules)
            {
                hash = hash * 0x9E3779B1 + rule;
            }
            hash ^= hash >>> 15;
            int slot = hash & mask;
            while (slots[slot] >= 0)
            {
                slot = (slot + 1) & mask;
            }
            slots[slot] = id;
        }
    }
}
