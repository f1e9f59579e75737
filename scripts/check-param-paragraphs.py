#!/usr/bin/env python3
"""Finds paragraphs glued to a @param: a comment line at the comment's own indentation
(" * Text", not aligned under the description) right after a @param line or its
continuation. Doxygen renders such a paragraph inside that parameter's description;
a blank " *" line before it moves it to the function's description, where it belongs.

Usage: check-param-paragraphs.py HEADER...
"""
import re
import sys

PARAM = re.compile(r"^\s*\*\s*@param\b")
ALIGNED = re.compile(r"^\s*\*\s{2,}\S")  # continuation, aligned under the description
GLUED = re.compile(r"^\s*\* [^@\s/]")  # one space: a paragraph of its own

bad = 0
for path in sys.argv[1:]:
    in_param = False
    for number, line in enumerate(open(path, encoding="utf-8"), 1):
        if PARAM.match(line):
            in_param = True
            continue
        if in_param and ALIGNED.match(line):
            continue
        if in_param and GLUED.match(line):
            print(f"{path}:{number}: a paragraph glued to the @param above it: {line.strip()}")
            bad = 1
        in_param = False
sys.exit(bad)
