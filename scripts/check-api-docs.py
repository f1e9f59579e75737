#!/usr/bin/env python3
"""Checks what doxygen itself does not require of the public API documentation.

    check-api-docs.py <doxygen-xml-dir>

Reads the XML that docs/Doxyfile writes and fails (exit 1, one line per problem)
when a public declaration lacks something a caller needs:

- every function and function-pointer type: a brief, `@since`, one `@param` for
  each parameter (and none for a parameter that does not exist), and for a
  non-void result a `@return` or `@retval`; a result of type ma_status needs
  `@retval` lines, `MA_OK` among them, each naming a real ma_status value;
- every struct, enum, typedef and macro: a brief and `@since`;
- every enumerator and struct field: a brief or a description.
"""
import os
import re
import sys
import xml.etree.ElementTree as ET


def text_of(node):
    return "" if node is None else "".join(node.itertext()).strip()


def simplesects(member, kind):
    return [s for s in member.iter("simplesect") if s.get("kind") == kind]


def parameter_names(member, kind):
    names = []
    for plist in member.iter("parameterlist"):
        if plist.get("kind") != kind:
            continue
        for name in plist.iter("parametername"):
            names.append(text_of(name))
    return names


def since_of(member):
    sects = simplesects(member, "since")
    return text_of(sects[0]) if sects else ""


def has_brief(member):
    return text_of(member.find("briefdescription")) != ""


def has_any_description(member):
    return has_brief(member) or text_of(member.find("detaileddescription")) != ""


def location(member):
    loc = member.find("location")
    if loc is None:
        return "?"
    return "%s:%s" % (os.path.basename(loc.get("file", "?")), loc.get("line", "?"))


def declared_parameters(member):
    """Names of a function's parameters, from its <param> elements."""
    names = []
    for param in member.findall("param"):
        declname = param.findtext("declname")
        ptype = text_of(param.find("type"))
        if declname:
            names.append(declname)
        elif ptype and ptype != "void":
            names.append("")  # an unnamed parameter cannot be documented
    return names


def pointer_type_parameters(member):
    """Names of a function-pointer typedef's parameters, from its argsstring."""
    args = member.findtext("argsstring") or ""
    match = re.search(r"\)\s*\((.*)\)\s*$", args)
    if not match or match.group(1).strip() in ("", "void"):
        return []
    names = []
    for piece in match.group(1).split(","):
        ident = re.findall(r"[A-Za-z_]\w*", piece)
        names.append(ident[-1] if ident else "")
    return names


def check_callable(member, name, result_type, params, statuses, problems):
    where = location(member)
    if not has_brief(member):
        problems.append("%s: %s has no brief" % (where, name))
    if not since_of(member):
        problems.append("%s: %s has no @since" % (where, name))
    documented = parameter_names(member, "param")
    for p in params:
        if p == "":
            problems.append("%s: %s has an unnamed parameter" % (where, name))
        elif p not in documented:
            problems.append("%s: %s has no @param for '%s'" % (where, name, p))
    for d in documented:
        if d not in params:
            problems.append("%s: %s documents '%s', which is not a parameter" % (where, name, d))
    retvals = parameter_names(member, "retval")
    returns = simplesects(member, "return")
    if result_type.replace(" ", "") in ("", "void"):
        if retvals or returns:
            problems.append("%s: %s returns nothing but documents a result" % (where, name))
        return
    if re.search(r"\bma_status\b", result_type):
        if not retvals:
            problems.append("%s: %s returns ma_status without @retval lines" % (where, name))
        elif "MA_OK" not in retvals:
            problems.append("%s: %s lists no @retval MA_OK" % (where, name))
        for r in retvals:
            if r not in statuses:
                problems.append("%s: %s: @retval %s is not an ma_status value" % (where, name, r))
    elif not retvals and not returns:
        problems.append("%s: %s has no @return" % (where, name))


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: check-api-docs.py <doxygen-xml-dir>\n")
        return 2
    xml_dir = sys.argv[1]
    files = sorted(f for f in os.listdir(xml_dir) if f.endswith("_8h.xml"))
    structs = sorted(f for f in os.listdir(xml_dir) if f.startswith("struct") and f.endswith(".xml"))
    if not files:
        sys.stderr.write("check-api-docs: no header XML in %s (did doxygen run?)\n" % xml_dir)
        return 2
    members = []
    for f in files:
        for m in ET.parse(os.path.join(xml_dir, f)).iter("memberdef"):
            members.append(m)
    statuses = set()
    for m in members:
        if m.get("kind") == "enum" and m.findtext("name") == "ma_status":
            statuses = {v.findtext("name") for v in m.findall("enumvalue")}
    if not statuses:
        sys.stderr.write("check-api-docs: enum ma_status not found in the XML\n")
        return 2

    problems = []
    seen = set()
    counts = {"function": 0, "typedef": 0, "enum": 0, "define": 0, "struct": 0}
    for m in members:
        kind = m.get("kind")
        name = m.findtext("name")
        if (kind, name) in seen or kind not in counts:
            continue
        seen.add((kind, name))
        counts[kind] += 1
        if kind == "function":
            check_callable(m, name + "()", text_of(m.find("type")), declared_parameters(m), statuses, problems)
        elif kind == "typedef" and "(*" in text_of(m.find("type")):
            result = text_of(m.find("type")).replace("(*", "")
            check_callable(m, name, result, pointer_type_parameters(m), statuses, problems)
        else:
            if not has_brief(m):
                problems.append("%s: %s %s has no brief" % (location(m), kind, name))
            if not since_of(m):
                problems.append("%s: %s %s has no @since" % (location(m), kind, name))
            for value in m.findall("enumvalue"):
                if not has_any_description(value):
                    problems.append("%s: enumerator %s is not described" % (location(m), value.findtext("name")))
    for f in structs:
        compound = ET.parse(os.path.join(xml_dir, f)).getroot().find("compounddef")
        name = compound.findtext("compoundname")
        counts["struct"] += 1
        if not has_brief(compound):
            problems.append("%s: struct %s has no brief" % (location(compound), name))
        if not since_of(compound):
            problems.append("%s: struct %s has no @since" % (location(compound), name))
        for field in compound.iter("memberdef"):
            if field.get("kind") == "variable" and not has_any_description(field):
                problems.append("%s: field %s::%s is not described" % (location(field), name, field.findtext("name")))

    for p in problems:
        print(p)
    summary = ", ".join("%d %ss" % (n, k) for k, n in counts.items())
    if problems:
        print("check-api-docs: %d problem(s) in %s" % (len(problems), summary))
        return 1
    print("check-api-docs: complete (%s)" % summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
