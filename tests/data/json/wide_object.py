#!/usr/bin/env python3
"""Writes a valid empty job page whose top-level object also has N unknown keys.

    wide_object.py N [--duplicate] > input.json

The keys are "k000000", "k000001", ... (one line each). With --duplicate the
last key repeats the middle one, which the page decoder must reject.

Made valid/wide_object (N=300), invalid/duplicate_key_in_wide_object (N=300,
--duplicate); bench/decode/run.sh makes a 160,000-key body (about 2.1 MB) to
compare the duplicate-key check against jansson's.
"""
import sys


def main() -> int:
    args = sys.argv[1:]
    duplicate = "--duplicate" in args
    args = [a for a in args if a != "--duplicate"]
    if len(args) != 1 or not args[0].isdigit() or int(args[0]) < 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    n = int(args[0])
    out = sys.stdout
    out.write('{"is_success": true, "job_total_count": 0, "jobs": [],\n')
    for i in range(n):
        out.write('"k%06d":%d,\n' % (i, i % 10))
    if duplicate:
        out.write('"k%06d":0,\n' % (n // 2))
    out.write('"last": true}\n')
    return 0


if __name__ == "__main__":
    sys.exit(main())
