package io.opensase.dpdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opensase.dpdk.internal.Layouts;
import io.opensase.dpdk.internal.Layouts.Row;
import io.opensase.dpdk.internal.opensase_dpdk_h;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every struct offset and size, bit-field position and constant the bindings use, checked against what gcc
 * computes from the installed DPDK headers (src/test/c/layout_probe.c), and against what the shim reports it was
 * compiled with. Needs no EAL.
 */
@RequiresDpdk
class LayoutTest
{
    private static final Map<String, Row> PROBE = new HashMap<>();
    private static final Map<String, Long> DEFINES = new HashMap<>();

    @BeforeAll
    static void compileAndRunProbe()
    {
        DpdkTestSupport.assumeDpdk();
        final Path module = DpdkTestSupport.moduleDirectory();
        final Path probe = DpdkTestSupport.scratch().resolve("layout_probe");
        final List<String> compile = new ArrayList<>(List.of("gcc", "-O0", "-Wall", "-Werror",
            "-I" + module.resolve("src/main/c"), "-o", probe.toString(),
            module.resolve("src/test/c/layout_probe.c").toString()));
        compile.addAll(List.of(DpdkTestSupport.run("pkg-config", "--cflags", "libdpdk").strip().split("\\s+")));
        DpdkTestSupport.run(compile.toArray(String[]::new));
        for (final String line : DpdkTestSupport.run(probe.toString()).split("\n"))
        {
            final String[] fields = line.strip().split(" ");
            if ("define".equals(fields[0]))
            {
                DEFINES.put(fields[1], Long.parseLong(fields[2]));
            }
            else if (3 == fields.length)
            {
                PROBE.put(fields[0], new Row(fields[0], Long.parseLong(fields[1]), Long.parseLong(fields[2])));
            }
        }
        assertTrue(PROBE.size() > 100, "the probe printed the layouts: " + PROBE.size());
    }

    @Test
    void shouldMatchEveryJavaLayoutMemberToTheHeaders()
    {
        for (final Row java : Layouts.java().values())
        {
            final Row c = PROBE.get(java.name());
            assertNotNull(c, java.name() + " is in a Java layout but not printed by layout_probe.c");
            assertEquals(c, java, java.name());
        }
    }

    @Test
    void shouldMatchMbufConstantsToTheHeaders() throws IllegalAccessException
    {
        int checked = 0;
        for (final Field field : Mbuf.class.getFields())
        {
            final String member = "rte_mbuf." + field.getName().toLowerCase();
            if (PROBE.containsKey(member))
            {
                assertEquals(PROBE.get(member).offset(), field.getInt(null), "Mbuf." + field.getName());
                checked++;
            }
        }
        assertEquals(11, checked, "Mbuf's offsets BUF_ADDR ... NEXT");
        assertEquals(PROBE.get("rte_mbuf").size(), Mbuf.HEADER_SIZE, "sizeof(struct rte_mbuf)");
        assertEquals(DEFINES.get("RTE_PKTMBUF_HEADROOM"), Mbuf.HEADROOM);
    }

    @Test
    void shouldKeepTheProjectFieldsInsideDynfield1AndAligned()
    {
        final Row dynfield = PROBE.get("rte_mbuf.dynfield1");
        assertTrue(Mbuf.TIMESTAMP_NS >= dynfield.offset() && Mbuf.TIMESTAMP_NS + Long.BYTES <= dynfield.offset() +
            dynfield.size(), "TIMESTAMP_NS inside " + dynfield);
        assertTrue(Mbuf.WIRE_LEN >= dynfield.offset() && Mbuf.WIRE_LEN + Integer.BYTES <= dynfield.offset() +
            dynfield.size(), "WIRE_LEN inside " + dynfield);
        assertEquals(0, Mbuf.TIMESTAMP_NS % Long.BYTES);
        assertEquals(0, Mbuf.WIRE_LEN % Integer.BYTES);
        assertTrue(Mbuf.WIRE_LEN >= Mbuf.TIMESTAMP_NS + Long.BYTES, "the fields do not overlap");
    }

    @Test
    void shouldReportFromTheShimTheLayoutTheHeadersHave()
    {
        final List<Row> shim = Layouts.shim();
        for (final String member : List.of("buf_addr", "data_off", "refcnt", "nb_segs", "port", "ol_flags", "pkt_len",
            "data_len", "buf_len", "pool", "next", "dynfield1"))
        {
            assertTrue(shim.stream().anyMatch(row -> row.name().equals("rte_mbuf." + member)), member);
        }
        for (final Row row : shim)
        {
            assertEquals(PROBE.get(row.name()), row, "shim row " + row.name());
        }
        assertEquals(List.of(), Layouts.mismatches(shim, true), "shim against the Java layouts");
    }

    @Test
    void shouldMatchEveryConstantToTheHeaders() throws IllegalAccessException
    {
        int checked = 0;
        for (final Field field : opensase_dpdk_h.class.getFields())
        {
            final int modifiers = field.getModifiers();
            final boolean constant = Modifier.isStatic(modifiers) && Modifier.isFinal(modifiers) &&
                (int.class == field.getType() || long.class == field.getType());
            if (!constant)
            {
                continue;
            }
            final Long c = DEFINES.get(field.getName());
            assertNotNull(c, field.getName() + " is not printed by layout_probe.c");
            if (int.class == field.getType())
            {
                assertEquals(c.intValue(), field.getInt(null), field.getName());
                assertTrue(c == field.getInt(null) || c == Integer.toUnsignedLong(field.getInt(null)),
                    field.getName() + " fits in 32 bits");
            }
            else
            {
                assertEquals(c.longValue(), field.getLong(null), field.getName());
            }
            checked++;
        }
        assertEquals(DEFINES.size(), checked, "every constant the probe prints is bound: " + DEFINES.keySet());
    }

    @Test
    void shouldBeCheckedAgainstTheInstalledRelease()
    {
        final String installed = DpdkTestSupport.run("pkg-config", "--modversion", "libdpdk").strip();
        assertEquals(installed, Dpdk.shimCompiledVersion(), "the shim was built against the installed headers");
        assertTrue(installed.startsWith(opensase_dpdk_h.CHECKED_AGAINST.substring(0, 5)),
            "bindings checked against " + opensase_dpdk_h.CHECKED_AGAINST + ", installed " + installed);
        assertTrue(Dpdk.version().contains(installed), Dpdk.version());
    }
}
