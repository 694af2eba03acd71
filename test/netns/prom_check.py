#!/usr/bin/env python3
"""A strict reader of the Prometheus text exposition format 0.0.4, for the
netns tests (Debian's promtool comes only with the Prometheus daemon).

    prom_check.py FILE [--json] [SAMPLE=VALUE ...]

FILE ("-" = stdin) must parse: every line a HELP, a TYPE (counter or gauge,
once per family, before its samples) or a sample of the family declared
last, with a HELP; a counter's name ends in _total; no sample twice; every
family named uppp_*; a final newline. Each SAMPLE=VALUE (SAMPLE written as
in the text: uppp_sessions or uppp_leases{state="in_use"}) must hold.
--json prints the samples as one JSON object {SAMPLE: value}. Exit 0, or 1
naming what is wrong."""
import json
import re
import sys

NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL = r'[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\\\|\\"|\\n)*"'
SAMPLE = re.compile(
    rf"^({NAME})(?:\{{({LABEL}(?:,{LABEL})*)?\}})? (-?[0-9]+(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?|NaN|[+-]Inf)$")


def parse(text):
    """{(name, labels): value}; raises AssertionError at the first bad line."""
    assert text.endswith("\n"), "no final newline"
    types, helps, families, current, samples = {}, set(), [], None, {}
    for n, line in enumerate(text.split("\n")[:-1], 1):
        if line.startswith("# HELP "):
            name = line.split(" ", 3)[2]
            assert re.fullmatch(NAME, name) and name not in helps, f"line {n}: {line}"
            helps.add(name)
        elif line.startswith("# TYPE "):
            _, _, name, typ = line.split(" ")
            assert typ in ("counter", "gauge") and name not in types, f"line {n}: {line}"
            types[name] = typ
            assert name not in families, f"line {n}: family {name} not contiguous"
            families.append(name)
            current = name
        else:
            m = SAMPLE.match(line)
            assert m, f"line {n} is no sample: {line!r}"
            name = m.group(1)
            assert name == current, f"line {n}: sample of {name} outside its family ({current})"
            assert name in helps, f"line {n}: no HELP for {name}"
            if types[name] == "counter":
                assert name.endswith("_total"), f"counter {name} does not end in _total"
            key = (name, m.group(2) or "")
            assert key not in samples, f"line {n}: duplicate {key}"
            samples[key] = float(m.group(3))
    assert types and all(n.startswith("uppp_") for n in types), types
    return samples


def key_text(key):
    name, labels = key
    return f"{name}{{{labels}}}" if labels else name


def main(argv):
    args = [a for a in argv[1:] if a != "--json"]
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    text = sys.stdin.read() if args[0] == "-" else open(args[0], encoding="utf-8").read()
    try:
        samples = parse(text)
    except AssertionError as e:
        print(f"prom_check: does not parse: {e}", file=sys.stderr)
        return 1
    by_text = {key_text(k): v for k, v in samples.items()}
    bad = []
    for want in args[1:]:
        sample, _, value = want.rpartition("=")
        got = by_text.get(sample)
        if got is None or got != float(value):
            bad.append(f"{sample} is {got}, expected {value}")
    if bad:
        print("prom_check: " + "; ".join(bad), file=sys.stderr)
        return 1
    if "--json" in argv:
        print(json.dumps(by_text, sort_keys=True))
    else:
        print(f"prom_check: {len(set(k[0] for k in samples))} families, {len(samples)} samples, strict parse ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
