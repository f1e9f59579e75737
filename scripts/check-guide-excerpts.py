#!/usr/bin/env python3
"""Keeps the C excerpts of docs/guides/ in line with their example programs.

    check-guide-excerpts.py <docs/guides> <examples>

Each guide names its example program (the first `examples/<name>.c` it mentions). Every line
of every ```c block in the guide, other than `...`, must occur in that program (leading and
trailing spaces aside), so an excerpt cannot drift from the code that ctest runs. A block
preceded by the line `<!-- illustration -->` is not an excerpt and is not checked.
"""
import os
import re
import sys


def main():
    if len(sys.argv) != 3:
        sys.stderr.write("usage: check-guide-excerpts.py <guides-dir> <examples-dir>\n")
        return 2
    guides_dir, examples_dir = sys.argv[1], sys.argv[2]
    problems = []
    guides = sorted(f for f in os.listdir(guides_dir) if f.endswith(".md"))
    for guide in guides:
        text = open(os.path.join(guides_dir, guide), encoding="utf-8").read()
        named = re.search(r"examples/(\w+\.c)", text)
        if not named:
            problems.append("%s: names no examples/<program>.c" % guide)
            continue
        path = os.path.join(examples_dir, named.group(1))
        if not os.path.exists(path):
            problems.append("%s: %s does not exist" % (guide, path))
            continue
        source = {line.strip() for line in open(path, encoding="utf-8")}
        for block in re.finditer(r"(^[^\n]*\n)?```c\n(.*?)```", text, re.S | re.M):
            if block.group(1) and block.group(1).strip() == "<!-- illustration -->":
                continue
            first = text.count("\n", 0, block.start(2)) + 1
            for offset, line in enumerate(block.group(2).split("\n")):
                stripped = line.strip()
                if stripped and stripped != "..." and stripped not in source:
                    problems.append("%s:%d: not in %s: %s" % (guide, first + offset, named.group(1), stripped))
    for p in problems:
        print(p)
    if problems:
        print("check-guide-excerpts: %d line(s) differ from the examples" % len(problems))
        return 1
    print("check-guide-excerpts: %d guides match their examples" % len(guides))
    return 0


if __name__ == "__main__":
    sys.exit(main())
