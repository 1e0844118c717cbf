package io.opensase.core;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Python puts a script's own directory first on its module path, so a script named after a standard module
 * (the tests' {@code dns/types.py} was one) is imported in its place by every script beside it: on a fresh
 * machine {@code import json} then failed inside scapy, and two tests with it. No script of the project may
 * take such a name.
 */
class PythonScriptNamesTest
{
    @Test
    void noScriptShadowsAStandardModule() throws IOException, InterruptedException
    {
        final Process python = new ProcessBuilder("/usr/bin/python3", "-c",
            "import sys; print('\\n'.join(sorted(sys.stdlib_module_names)))").start();
        final Set<String> standard = Set.of(new String(python.getInputStream().readAllBytes(),
            StandardCharsets.US_ASCII).split("\n"));
        assertEquals(0, python.waitFor(), "python3 listed its standard modules");
        assertTrue(standard.contains("types") && standard.contains("json"), "the list is the standard modules'");
        final List<Path> scripts;
        try (Stream<Path> files = Files.walk(Path.of("..")))
        {
            scripts = files.filter(p -> p.toString().endsWith(".py") && !p.toString().contains("/target/"))
                .collect(Collectors.toList());
        }
        assertTrue(scripts.size() >= 30, "found the project's scripts: " + scripts.size());
        final List<Path> shadowing = scripts.stream()
            .filter(p -> standard.contains(p.getFileName().toString().replaceFirst("\\.py$", "")))
            .toList();
        assertEquals(List.of(), shadowing, "scripts named after a standard Python module");
    }
}
