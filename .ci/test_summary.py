#!/usr/bin/env python3
"""Sums the test results under a `dotnet test --logger trx --blame-hang-timeout ...` results directory.

Usage: test_summary.py RESULTS_DIR

Prints "PASSED FAILED SKIPPED" as its last line. A test host that the blame collector killed (a test hung past
--blame-hang-timeout) or that crashed never records its running test in the TRX, whose counters then look clean;
each such test, named from the blame collector's Sequence_*.xml (Completed="False"), counts as one failure and gets
an "ABORTED: ..." line before the counts. An aborted run whose running test cannot be named still counts as one.
"""
import glob
import os
import sys
import xml.etree.ElementTree as ET


def parse(path):
    try:
        return ET.parse(path).getroot()
    except (ET.ParseError, OSError) as error:
        print(f"ABORTED: {path} is unreadable ({error}); counted as one failure")
        return None


def unfinished_tests(results):
    """Sequence file name -> the tests it shows started and never completed, as "Name (Assembly.dll)".

    The collector leaves a copy of each sequence file next to its TRX too: same name, same content, read once.
    """
    sequences = {}
    for path in sorted(glob.glob(os.path.join(results, "**", "Sequence_*.xml"), recursive=True)):
        name = os.path.basename(path)
        if name in sequences:
            continue
        root = parse(path)
        sequences[name] = [] if root is None else [
            f"{test.get('Name', '?')} ({os.path.basename(test.get('Source', '?'))})"
            for test in root.iter("Test") if test.get("Completed", "True") != "True"]
    return sequences


def summarise(results):
    passed = failed = skipped = 0
    sequences = unfinished_tests(results)
    claimed = set()
    for path in sorted(glob.glob(os.path.join(results, "**", "*.trx"), recursive=True)):
        root = parse(path)
        if root is None:
            failed += 1
            continue
        counters = root.find(".//{*}Counters")
        if counters is not None:
            passed += int(counters.get("passed", 0))
            failed += sum(int(counters.get(k, 0)) for k in ("failed", "error", "timeout", "aborted"))
            skipped += int(counters.get("notExecuted", 0)) + int(counters.get("inconclusive", 0))
        texts = [(info.get("outcome"), (info.findtext("{*}Text") or "").strip()) for info in root.findall(".//{*}RunInfo")]
        hung = any("inactivity time" in text for _, text in texts)
        aborted = hung or any(outcome == "Error" and ("aborted" in text or "crashed" in text) for outcome, text in texts)
        attached = [os.path.basename(a.get("href", "")) for a in root.findall(".//{*}UriAttachment/{*}A")]
        attached = [name for name in attached if name.startswith("Sequence_")]
        claimed.update(attached)
        if not aborted:
            continue
        how = "hung and was killed by --blame-hang-timeout" if hung else "was running when its test host crashed"
        tests = [test for name in attached for test in sequences.get(name, [])]
        for test in tests or [f"a test of the run in {os.path.basename(path)} (none named)"]:
            print(f"ABORTED: {test} {how}")
            failed += 1
    # A sequence file whose TRX is missing (the run died before writing it): its unfinished tests are failures too.
    for name, tests in sequences.items():
        if name in claimed:
            continue
        for test in tests or [f"a test of the run in {name} (none named)"]:
            print(f"ABORTED: {test} did not complete and its run left no TRX")
            failed += 1
    return passed, failed, skipped


if __name__ == "__main__":
    print(*summarise(sys.argv[1]))
