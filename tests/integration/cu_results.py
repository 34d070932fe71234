#!/usr/bin/env python3
"""Compares iscsi-test-cu runs with the list of expected failures.

usage: cu_results.py [--skips-ok] EXPECTED_FILE RUN_NAME=LOG [RUN_NAME=LOG ...]

Each LOG is iscsi-test-cu's verbose text output. A test counts as failed when
CUnit printed FAILED for it, as skipped when it passed with a [SKIPPED] note.
EXPECTED_FILE lists "run/Suite.Test  reason" lines (# starts a comment). Prints
a summary line "iscsi-test-cu: P passed, F failed, S skipped of T; U skipped in
every run" and exits 1 when a test fails that is not listed (a regression), a
listed test passes (fixed: remove it from the list), or a test is skipped in
every run (no LU kind covers it), unless --skips-ok (runs on one LU kind only).
"""
import re
import sys


def parse(log):
    results = {}
    suite = None
    test = None
    body = []

    def close():
        if test is None:
            return
        text = "\n".join(body)
        failed = re.search(r"(?<!\[)FAILED(?!\])\s*$", text, re.M) is not None
        skipped = "[SKIPPED]" in text
        results[f"{suite}.{test}"] = "failed" if failed else ("skipped" if skipped else "passed")

    for line in log.splitlines():
        m = re.match(r"^Suite: (\S+)", line)
        if m:
            close()
            suite, test, body = m.group(1), None, []
            continue
        m = re.match(r"^  Test: (\S+) \.\.\.(.*)$", line)
        if m:
            close()
            test, body = m.group(1), [m.group(2)]
            continue
        if line.startswith("Run Summary"):
            close()
            test = None
            continue
        if test is not None:
            body.append(line)
    close()
    return results


def main():
    args = sys.argv[1:]
    skips_ok = bool(args) and args[0] == "--skips-ok"
    if skips_ok:
        args = args[1:]
    expected = {}
    for raw in open(args[0]):
        line = raw.split("#", 1)[0].strip()
        if line:
            name, _, reason = line.partition(" ")
            expected[name] = reason.strip()
    results = {}
    for arg in args[1:]:
        run, _, path = arg.partition("=")
        for name, state in parse(open(path, errors="replace").read()).items():
            results[f"{run}/{name}"] = state
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    for state in results.values():
        counts[state] += 1
    ok = True
    for name, state in sorted(results.items()):
        if state == "failed" and name not in expected:
            print(f"NEW FAILURE: {name}")
            ok = False
        if state != "failed" and name in expected:
            print(f"FIXED (remove from the expected list): {name}")
            ok = False
        if state == "failed" and name in expected:
            print(f"expected failure: {name} -- {expected[name]}")
        if state == "skipped":
            ran = sorted(r for r, st in results.items()
                         if r.split("/", 1)[1] == name.split("/", 1)[1] and st == "passed")
            print(f"skipped: {name}" + (f" (passed in {', '.join(ran)})" if ran else ""))
    for name in sorted(set(expected) - set(results)):
        print(f"listed but not run: {name}")
        ok = False
    # A test skipped in one run (for want of a LU kind) that passed in another
    # is covered; one that passed nowhere is not, and fails this check.
    passed_somewhere = {n.split("/", 1)[1] for n, st in results.items() if st == "passed"}
    uncovered = sorted({n.split("/", 1)[1] for n, st in results.items()
                        if st == "skipped"} - passed_somewhere)
    for name in uncovered:
        print(f"SKIPPED IN EVERY RUN: {name}")
        ok = ok and skips_ok
    print(f"iscsi-test-cu: {counts['passed']} passed, {counts['failed']} failed, "
          f"{counts['skipped']} skipped of {len(results)}; "
          f"{len(uncovered)} skipped in every run")
    return 0 if ok and results else 1


if __name__ == "__main__":
    sys.exit(main())
