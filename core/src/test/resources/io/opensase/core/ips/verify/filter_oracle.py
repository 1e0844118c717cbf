# The reference the Java scorer is compared with: counts, for every filter of a test.yaml, the EVE events whose
# fields satisfy its match, with Python's own yaml.safe_load, json.loads, ==, in and len, following the filter
# semantics suricata-verify's runner documents. Prints one line per filter: the count, or "error" where Python
# raises on some event.
import json
import re
import sys

import yaml

INDEXED = re.compile(r"^(.*)\[(\d+)\]$")
OPERATORS = ("__contains", "__find", "__startswith", "__endswith")


def field(event, key):
    value = event
    for part in key.split("."):
        if part == "__len":
            try:
                return len(value)
            except TypeError:
                return -1
        if part in OPERATORS:
            return value
        indexed = INDEXED.match(part)
        name = indexed.group(1) if indexed else part
        if name not in value:
            return None
        value = value[name]
        if indexed:
            try:
                value = value[int(indexed.group(2))]
            except (IndexError, KeyError, TypeError):
                return None
    return value


def holds(event, key, want):
    if key == "has-key":
        return field(event, want) is not None
    if key == "not-has-key":
        return field(event, want) is None
    found = field(event, key)
    if key.endswith("__contains"):
        return want in found
    if key.endswith("__find"):
        return found.find(want) >= 0
    if key.endswith("__startswith"):
        return found.startswith(want)
    if key.endswith("__endswith"):
        return found.endswith(want)
    return found == want


def main(test_yaml, eve_file):
    with open(test_yaml, "rb") as stream:
        checks = yaml.safe_load(stream)["checks"]
    with open(eve_file, encoding="utf-8") as stream:
        events = [json.loads(line) for line in stream]
    for check in checks:
        match = check["filter"]["match"]
        try:
            print(sum(1 for event in events if all(holds(event, k, v) for k, v in match.items())))
        except Exception:
            print("error")


def scalars(values_json):
    # For each plain scalar: the Python type and str() of what safe_load makes of it, or "error".
    for text in json.loads(values_json):
        try:
            value = yaml.safe_load("v: " + text)["v"]
        except Exception:
            print("error")
            continue
        kind = type(value).__name__
        if kind in ("date", "datetime"):
            print("date")
        elif kind == "bytes":
            print("opaque")
        else:
            print(kind + ":" + str(value))


if __name__ == "__main__":
    if sys.argv[1] == "scalars":
        scalars(sys.argv[2])
    else:
        main(sys.argv[1], sys.argv[2])
