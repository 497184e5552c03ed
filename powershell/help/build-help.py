#!/usr/bin/env python3
"""Builds the MAML help of the PartnerCenterNative binary module from its Markdown help sources.

Compiled cmdlets cannot carry comment-based help: Get-Help reads theirs from a MAML file named
after the assembly, en-US/PartnerCenterNative.dll-Help.xml beside the dll. This script writes
that file from the platyPS-style Markdown (schema 2.0.0) in the folder it lives in, one
<Cmdlet>.md per cmdlet, without platyPS: standard library only.

Every file is validated first: front matter, the required sections in order, one syntax block
per parameter set ending in [<CommonParameters>] and agreeing with the parameters' yaml blocks
(names, required, positional, type), a description and a yaml block for every parameter, at least
two examples each with a powershell block and remarks, and well-formed related links. Any problem
is printed as FILE:LINE: problem, and the script exits 1 without writing anything.

Usage:
    python3 powershell/help/build-help.py --out DIR   writes DIR/PartnerCenterNative.dll-Help.xml
                                                      and prints its path as the last line
    python3 powershell/help/build-help.py --check     validates the Markdown only

Markdown conventions: paragraphs are separated by blank lines and their lines are joined with
spaces; a list item (a line starting with "- ") is a paragraph of its own, its indented
continuation lines included.
"""

from __future__ import annotations

import argparse
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
HELP_FILE = "PartnerCenterNative.dll-Help.xml"
MODULE_NAME = "PartnerCenterNative"
SCHEMA = "2.0.0"
MIN_EXAMPLES = 2

NS = {
    "": "http://msh",
    "maml": "http://schemas.microsoft.com/maml/2004/10",
    "dev": "http://schemas.microsoft.com/maml/dev/2004/10",
    "command": "http://schemas.microsoft.com/maml/dev/command/2004/10",
}
SECTIONS = (
    "SYNOPSIS",
    "SYNTAX",
    "DESCRIPTION",
    "EXAMPLES",
    "PARAMETERS",
    "INPUTS",
    "OUTPUTS",
    "NOTES",
    "RELATED LINKS",
)
FRONT_MATTER_KEYS = ("external help file", "Module Name", "online version", "schema")
YAML_KEYS = (
    "Type",
    "Parameter Sets",
    "Aliases",
    "Required",
    "Position",
    "Default value",
    "Accept pipeline input",
    "Accept wildcard characters",
)
OPTIONAL_YAML_KEYS = ("Accepted values",)
ALL_SETS = "(All)"
SINGLE_SET = "__AllParameterSets"
SWITCH_TYPE = "System.Management.Automation.SwitchParameter"
PIPELINE = re.compile(r"False|True \((ByValue|ByPropertyName|ByValue, ByPropertyName)\)")
EXAMPLE_TITLE = re.compile(r"Example (\d+): (\S.*)")
LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]*)\)")
LIST_ITEM = re.compile(r"\s*[-*] ")
SYNTAX_TOKEN = re.compile(
    r"\[\[-(?P<po>\w+)\]\s+<(?P<pot>[^>]+)>\]"  # [[-Name] <Type>]: positional, optional
    r"|\[-(?P<pr>\w+)\]\s+<(?P<prt>[^>]+)>"  # [-Name] <Type>: positional, required
    r"|\[-(?P<no>\w+)(?:\s+<(?P<not>[^>]+)>)?\]"  # [-Name <Type>] or [-Switch]: optional
    r"|-(?P<nr>\w+)(?:\s+<(?P<nrt>[^>]+)>)?"  # -Name <Type> or -Switch: required
    r"|(?P<common>\[<CommonParameters>\])"
)


class HelpError(Exception):
    """A problem in a help source, at a line of it (0 when it concerns the whole file)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


# ---------------------------------------------------------------------------------------------
# The document model
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    line: int


@dataclass(frozen=True)
class Fence:
    info: str
    body: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Text:
    text: str
    line: int


Item = Heading | Fence | Text


@dataclass(frozen=True)
class Section:
    heading: Heading
    items: list[Item]


@dataclass
class ParamBlock:
    """One yaml block of a parameter: its attributes in the parameter sets it names."""

    sets: list[str]
    type: str
    aliases: list[str]
    required: bool
    position: str
    default: str
    pipeline: str
    globbing: bool
    accepted: list[str]
    line: int

    def covers(self, set_name: str) -> bool:
        return self.sets == [ALL_SETS] or set_name in self.sets


@dataclass
class Parameter:
    name: str
    description: list[str]
    blocks: list[ParamBlock]
    line: int

    def block_for(self, set_name: str) -> ParamBlock | None:
        return next((block for block in self.blocks if block.covers(set_name)), None)

    @property
    def first(self) -> ParamBlock:
        return self.blocks[0]

    @property
    def is_switch(self) -> bool:
        return self.first.type == SWITCH_TYPE


@dataclass(frozen=True)
class SyntaxParam:
    name: str
    required: bool
    positional: bool
    value_type: str | None


@dataclass
class SyntaxSet:
    name: str
    params: list[SyntaxParam]
    line: int


@dataclass(frozen=True)
class Example:
    title: str
    code: str
    remarks: list[str]


@dataclass(frozen=True)
class TypeEntry:
    name: str
    description: list[str]


@dataclass(frozen=True)
class Link:
    text: str
    uri: str


@dataclass
class Cmdlet:
    name: str
    synopsis: list[str]
    syntax: list[SyntaxSet]
    description: list[str]
    examples: list[Example]
    parameters: list[Parameter]
    inputs: list[TypeEntry]
    outputs: list[TypeEntry]
    notes: list[str]
    links: list[Link]


# ---------------------------------------------------------------------------------------------
# Reading Markdown
# ---------------------------------------------------------------------------------------------


def read_front_matter(lines: list[str]) -> tuple[dict[str, str], int]:
    """The front matter's keys and the index of the first line after it."""
    if not lines or lines[0].strip() != "---":
        raise HelpError(1, "no front matter: the file must start with a line '---'")
    values: dict[str, str] = {}
    for index in range(1, len(lines)):
        line = lines[index]
        if line.strip() == "---":
            return values, index + 1
        key, colon, value = line.partition(":")
        if not colon:
            raise HelpError(index + 1, f"front matter line is not 'key: value': {line!r}")
        values[key.strip()] = value.strip()
    raise HelpError(1, "the front matter is not closed by a line '---'")


def check_front_matter(values: dict[str, str]) -> None:
    for key in FRONT_MATTER_KEYS:
        if key not in values:
            raise HelpError(1, f"front matter lacks '{key}:'")
    expected = {"external help file": HELP_FILE, "Module Name": MODULE_NAME, "schema": SCHEMA}
    for key, want in expected.items():
        if values[key] != want:
            raise HelpError(1, f"front matter '{key}' is {values[key]!r}, expected {want!r}")


def lex(lines: list[str], first_line: int) -> list[Item]:
    """Headings, fenced blocks and text lines; a '#' inside a fence is code, not a heading."""
    items: list[Item] = []
    index = 0
    while index < len(lines):
        line, number = lines[index], first_line + index
        if line.startswith("```"):
            end = next((i for i in range(index + 1, len(lines)) if lines[i].startswith("```")), None)
            if end is None:
                raise HelpError(number, "a fenced block (```) is never closed")
            items.append(Fence(line[3:].strip(), tuple(lines[index + 1 : end]), number))
            index = end + 1
            continue
        heading = re.match(r"(#{1,6}) (.*)", line)
        if heading:
            items.append(Heading(len(heading.group(1)), heading.group(2).strip(), number))
        else:
            items.append(Text(line.rstrip(), number))
        index += 1
    return items


def split_sections(items: list[Item], name: str) -> dict[str, Section]:
    """The '## ' sections under the '# <Cmdlet>' title, checked for presence and order."""
    headings = [item for item in items if isinstance(item, Heading)]
    if not headings or headings[0].level != 1:
        raise HelpError(headings[0].line if headings else 0, f"the first heading must be '# {name}'")
    if headings[0].text != name:
        raise HelpError(headings[0].line, f"title '# {headings[0].text}' does not match the file name {name}")
    stray = [item for item in items[: items.index(headings[0])] if not is_blank(item)]
    if stray:
        raise HelpError(stray[0].line, "text before the '# ' title")
    sections: dict[str, Section] = {}
    current: Section | None = None
    for item in items[items.index(headings[0]) + 1 :]:
        if isinstance(item, Heading) and item.level <= 2:
            current = start_section(item, sections)
        elif current is None:
            if not is_blank(item):
                raise HelpError(item.line, "text between the title and '## SYNOPSIS'")
        else:
            current.items.append(item)
    check_sections(sections, headings[0].line)
    return sections


def start_section(heading: Heading, sections: dict[str, Section]) -> Section:
    if heading.level == 1:
        raise HelpError(heading.line, f"a second '# ' title: '# {heading.text}'")
    if heading.text not in SECTIONS:
        raise HelpError(heading.line, f"unknown section '## {heading.text}' (expected one of {', '.join(SECTIONS)})")
    if heading.text in sections:
        raise HelpError(heading.line, f"section '## {heading.text}' appears twice")
    section = Section(heading, [])
    sections[heading.text] = section
    return section


def check_sections(sections: dict[str, Section], title_line: int) -> None:
    missing = [name for name in SECTIONS if name not in sections]
    if missing:
        raise HelpError(title_line, f"missing section(s): {', '.join('## ' + name for name in missing)}")
    order = sorted(sections, key=lambda name: sections[name].heading.line)
    if order != list(SECTIONS):
        raise HelpError(title_line, f"sections out of order: {', '.join(order)}; expected {', '.join(SECTIONS)}")


def split_subsections(section: Section) -> list[Section]:
    """The '### ' subsections of a section; only blank lines may come before the first."""
    subsections: list[Section] = []
    for item in section.items:
        if isinstance(item, Heading):
            if item.level != 3:
                raise HelpError(item.line, f"expected a '### ' heading in '## {section.heading.text}'")
            subsections.append(Section(item, []))
        elif subsections:
            subsections[-1].items.append(item)
        elif not is_blank(item):
            raise HelpError(item.line, f"text before the first '### ' heading of '## {section.heading.text}'")
    return subsections


def is_blank(item: Item) -> bool:
    return isinstance(item, Text) and not item.text.strip()


def paragraphs(items: Sequence[Item], where: str) -> list[str]:
    """Text lines as paragraphs: blank lines separate them, list items stand alone."""
    result: list[str] = []
    current: list[str] = []
    for item in items:
        if isinstance(item, Fence):
            raise HelpError(item.line, f"unexpected fenced block in {where}")
        if isinstance(item, Heading):
            raise HelpError(item.line, f"unexpected heading in {where}")
        text = item.text.strip()
        if not text or LIST_ITEM.match(item.text):
            flush(current, result)
        if text:
            current.append(text)
    flush(current, result)
    return result


def flush(current: list[str], result: list[str]) -> None:
    if current:
        result.append(" ".join(current))
        current.clear()


# ---------------------------------------------------------------------------------------------
# The sections
# ---------------------------------------------------------------------------------------------


def parse_syntax(section: Section, name: str) -> list[SyntaxSet]:
    sets: list[SyntaxSet] = []
    for part in split_subsections(section):
        set_name = part.heading.text.removesuffix(" (Default)").strip()
        fences = [item for item in part.items if isinstance(item, Fence)]
        if len(fences) != 1 or paragraphs([i for i in part.items if not isinstance(i, Fence)], "a syntax"):
            raise HelpError(
                part.heading.line, f"syntax '### {set_name}' must hold exactly one fenced block and no text"
            )
        if any(existing.name == set_name for existing in sets):
            raise HelpError(part.heading.line, f"parameter set '{set_name}' appears twice in SYNTAX")
        sets.append(SyntaxSet(set_name, parse_syntax_line(fences[0], name), fences[0].line))
    if not sets:
        raise HelpError(section.heading.line, "SYNTAX has no '### <ParameterSet>' with a syntax block")
    if len(sets) > 1 and any(syntax.name == SINGLE_SET for syntax in sets):
        raise HelpError(section.heading.line, f"'{SINGLE_SET}' is for a cmdlet with a single parameter set")
    return sets


def parse_syntax_line(fence: Fence, name: str) -> list[SyntaxParam]:
    text = " ".join(line.strip() for line in fence.body).strip()
    if not text.startswith(name + " ") and text != name:
        raise HelpError(fence.line, f"the syntax block must start with the cmdlet name {name}")
    if not text.endswith("[<CommonParameters>]"):
        raise HelpError(fence.line, "the syntax block must end with [<CommonParameters>]")
    params: list[SyntaxParam] = []
    position = len(name)
    while position < len(text):
        if text[position].isspace():
            position += 1
            continue
        match = SYNTAX_TOKEN.match(text, position)
        if match is None:
            raise HelpError(fence.line, f"cannot read the syntax at {text[position : position + 30]!r}")
        if match.group("common"):
            if match.end() != len(text):
                raise HelpError(fence.line, "[<CommonParameters>] must come last in the syntax")
        else:
            params.append(syntax_param(match))
        position = match.end()
    return params


def syntax_param(match: re.Match[str]) -> SyntaxParam:
    kinds = (("po", False, True), ("pr", True, True), ("no", False, False), ("nr", True, False))
    for key, required, positional in kinds:
        if match.group(key):
            return SyntaxParam(match.group(key), required, positional, match.group(key + "t"))
    raise AssertionError("unreachable: the token regex has no other alternative")


def parse_examples(section: Section) -> list[Example]:
    examples = [parse_example(part, number) for number, part in enumerate(split_subsections(section), 1)]
    if len(examples) < MIN_EXAMPLES:
        raise HelpError(section.heading.line, f"{len(examples)} example(s); every cmdlet needs at least {MIN_EXAMPLES}")
    return examples


def parse_example(part: Section, number: int) -> Example:
    match = EXAMPLE_TITLE.fullmatch(part.heading.text)
    if not match:
        raise HelpError(part.heading.line, f"example heading must read '### Example {number}: <title>'")
    if int(match.group(1)) != number:
        raise HelpError(part.heading.line, f"example numbered {match.group(1)}, expected {number}")
    fences = [item for item in part.items if isinstance(item, Fence)]
    if not fences or any(fence.info != "powershell" for fence in fences):
        raise HelpError(part.heading.line, f"example {number} needs its code in a ```powershell block")
    code = "\n\n".join("\n".join(fence.body).strip("\n") for fence in fences)
    if not code.strip():
        raise HelpError(fences[0].line, f"example {number} has an empty code block")
    remarks = paragraphs([item for item in part.items if not isinstance(item, Fence)], f"example {number}")
    if not remarks:
        raise HelpError(part.heading.line, f"example {number} has no text after its code saying what it does")
    return Example(f"Example {number}: {match.group(2)}", code, remarks)


def parse_parameters(section: Section) -> list[Parameter]:
    parameters: list[Parameter] = []
    common = False
    for part in split_subsections(section):
        if part.heading.text == "CommonParameters":
            common = True
            continue
        if not re.fullmatch(r"-[A-Za-z]\w*", part.heading.text):
            raise HelpError(
                part.heading.line, f"parameter heading must read '### -Name', not '### {part.heading.text}'"
            )
        if any(p.name == part.heading.text[1:] for p in parameters):
            raise HelpError(part.heading.line, f"parameter {part.heading.text} is described twice")
        parameters.append(parse_parameter(part))
    if not common:
        raise HelpError(section.heading.line, "PARAMETERS lacks '### CommonParameters'")
    return parameters


def parse_parameter(part: Section) -> Parameter:
    name = part.heading.text
    fences = [item for item in part.items if isinstance(item, Fence)]
    if not fences:
        raise HelpError(part.heading.line, f"parameter {name} has no ```yaml block")
    if any(fence.info != "yaml" for fence in fences):
        raise HelpError(part.heading.line, f"parameter {name} may hold only ```yaml blocks")
    before = [item for item in part.items if item.line < fences[0].line]
    after = [item for item in part.items if item.line > fences[0].line and not isinstance(item, Fence)]
    if paragraphs(after, f"parameter {name}"):
        raise HelpError(fences[0].line, f"parameter {name}: text after the yaml block (put the description before it)")
    description = paragraphs(before, f"parameter {name}")
    if not description:
        raise HelpError(part.heading.line, f"parameter {name} has no description")
    blocks = [parse_yaml(fence, name) for fence in fences]
    return Parameter(name[1:], description, blocks, part.heading.line)


def parse_yaml(fence: Fence, name: str) -> ParamBlock:
    values: dict[str, str] = {}
    for offset, line in enumerate(fence.body, 1):
        if not line.strip():
            continue
        key, colon, value = line.partition(":")
        key = key.strip()
        if not colon or key not in YAML_KEYS + OPTIONAL_YAML_KEYS:
            raise HelpError(fence.line + offset, f"parameter {name}: unexpected yaml line {line!r}")
        if key in values:
            raise HelpError(fence.line + offset, f"parameter {name}: '{key}' appears twice")
        values[key] = value.strip()
    missing = [key for key in YAML_KEYS if key not in values]
    if missing:
        raise HelpError(fence.line, f"parameter {name}: the yaml block lacks {', '.join(missing)}")
    return yaml_block(values, fence.line, name)


def yaml_block(values: dict[str, str], line: int, name: str) -> ParamBlock:
    def flag(key: str) -> bool:
        if values[key] not in ("True", "False"):
            raise HelpError(line, f"parameter {name}: '{key}' must be True or False, not {values[key]!r}")
        return values[key] == "True"

    position = values["Position"]
    if position != "Named" and not position.isdigit():
        raise HelpError(line, f"parameter {name}: Position must be Named or a number, not {position!r}")
    if not PIPELINE.fullmatch(values["Accept pipeline input"]):
        raise HelpError(
            line, f"parameter {name}: 'Accept pipeline input' must be False or True (ByValue[, ByPropertyName])"
        )
    if not values["Type"] or not values["Parameter Sets"]:
        raise HelpError(line, f"parameter {name}: Type and Parameter Sets must not be empty")
    return ParamBlock(
        sets=split_list(values["Parameter Sets"]),
        type=values["Type"],
        aliases=[] if values["Aliases"] == "None" else split_list(values["Aliases"]),
        required=flag("Required"),
        position=position,
        default=values["Default value"] or "None",
        pipeline=values["Accept pipeline input"],
        globbing=flag("Accept wildcard characters"),
        accepted=split_list(values.get("Accepted values", "")),
        line=line,
    )


def split_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def parse_types(section: Section) -> list[TypeEntry]:
    entries = [
        TypeEntry(part.heading.text, paragraphs(part.items, f"'### {part.heading.text}'"))
        for part in split_subsections(section)
    ]
    if not entries:
        raise HelpError(
            section.heading.line, f"{section.heading.text} needs at least one '### <Type>' (### None if nothing)"
        )
    return entries


def parse_links(section: Section) -> list[Link]:
    links: list[Link] = []
    for item in section.items:
        if isinstance(item, Heading | Fence):
            raise HelpError(item.line, "RELATED LINKS holds only lines '[Name](uri)'")
        if item.text.strip():
            match = LINK.fullmatch(item.text.strip())
            if not match:
                raise HelpError(item.line, f"related link must read '[Name](uri)', not {item.text.strip()!r}")
            links.append(Link(match.group(1), match.group(2)))
    return links


def non_empty(section: Section) -> list[str]:
    result = paragraphs(section.items, f"'## {section.heading.text}'")
    if not result:
        raise HelpError(section.heading.line, f"'## {section.heading.text}' is empty")
    return result


# ---------------------------------------------------------------------------------------------
# Cross-checks between the syntax and the parameters
# ---------------------------------------------------------------------------------------------


def check_consistency(cmdlet: Cmdlet) -> None:
    set_names = {syntax.name for syntax in cmdlet.syntax}
    for parameter in cmdlet.parameters:
        check_blocks(parameter, set_names)
    for syntax in cmdlet.syntax:
        check_syntax_set(syntax, cmdlet.parameters)


def check_blocks(parameter: Parameter, set_names: set[str]) -> None:
    for block in parameter.blocks:
        if block.sets != [ALL_SETS]:
            unknown = [name for name in block.sets if name not in set_names]
            if unknown or ALL_SETS in block.sets:
                names = ", ".join(unknown or [ALL_SETS])
                raise HelpError(block.line, f"parameter -{parameter.name}: unknown parameter set(s) {names}")
        if block.type != parameter.first.type:
            raise HelpError(block.line, f"parameter -{parameter.name}: its yaml blocks disagree on Type")
    for name in set_names:
        if sum(block.covers(name) for block in parameter.blocks) > 1:
            raise HelpError(parameter.line, f"parameter -{parameter.name}: several yaml blocks cover set {name}")


def check_syntax_set(syntax: SyntaxSet, parameters: list[Parameter]) -> None:
    where = f"syntax of set {syntax.name}"
    named = {param.name for param in syntax.params}
    if len(named) != len(syntax.params):
        raise HelpError(syntax.line, f"{where}: a parameter appears twice")
    by_name = {parameter.name: parameter for parameter in parameters}
    for param in syntax.params:
        if param.name not in by_name:
            raise HelpError(syntax.line, f"{where}: -{param.name} has no '### -{param.name}' in PARAMETERS")
        check_syntax_param(param, by_name[param.name], syntax, where)
    for parameter in parameters:
        if parameter.block_for(syntax.name) and parameter.name not in named:
            raise HelpError(syntax.line, f"{where}: lacks -{parameter.name}, whose yaml block names this set")


def check_syntax_param(param: SyntaxParam, parameter: Parameter, syntax: SyntaxSet, where: str) -> None:
    block = parameter.block_for(syntax.name)
    if block is None:
        raise HelpError(syntax.line, f"{where}: -{param.name} is there but no yaml block of it names this set")
    if block.required != param.required:
        written = "required" if param.required else "optional"
        raise HelpError(
            syntax.line, f"{where}: -{param.name} is {written} in the syntax but Required: {block.required} in its yaml"
        )
    if (block.position != "Named") != param.positional:
        written = "positional" if param.positional else "named"
        raise HelpError(syntax.line, f"{where}: -{param.name} has Position: {block.position} but is written {written}")
    expected = None if parameter.is_switch else block.type.rsplit(".", 1)[-1]
    if param.value_type != expected:
        reads = f"<{expected}>" if expected else "as a switch, with no value"
        raise HelpError(
            syntax.line, f"{where}: -{param.name} is written <{param.value_type}>, its Type {block.type} reads {reads}"
        )


# ---------------------------------------------------------------------------------------------
# A whole file
# ---------------------------------------------------------------------------------------------


def parse_file(path: Path) -> Cmdlet:
    lines = path.read_text(encoding="utf-8").splitlines()
    values, body = read_front_matter(lines)
    check_front_matter(values)
    name = path.stem
    if not re.fullmatch(r"[A-Z][a-z]+-PC[A-Za-z]+", name):
        raise HelpError(0, f"the file name must be the cmdlet name, Verb-PCNoun.md, not {path.name}")
    sections = split_sections(lex(lines[body:], body + 1), name)
    cmdlet = Cmdlet(
        name=name,
        synopsis=non_empty(sections["SYNOPSIS"]),
        syntax=parse_syntax(sections["SYNTAX"], name),
        description=non_empty(sections["DESCRIPTION"]),
        examples=parse_examples(sections["EXAMPLES"]),
        parameters=parse_parameters(sections["PARAMETERS"]),
        inputs=parse_types(sections["INPUTS"]),
        outputs=parse_types(sections["OUTPUTS"]),
        notes=paragraphs(sections["NOTES"].items, "'## NOTES'"),
        links=parse_links(sections["RELATED LINKS"]),
    )
    check_consistency(cmdlet)
    return cmdlet


def parse_all(folder: Path) -> tuple[list[Cmdlet], list[str]]:
    """Every help source of the folder, and the problems found (one per faulty file)."""
    cmdlets: list[Cmdlet] = []
    problems: list[str] = []
    paths = sorted(folder.glob("*.md"))
    if not paths:
        problems.append(f"{folder}: no *.md help source")
    for path in paths:
        try:
            cmdlets.append(parse_file(path))
        except HelpError as error:
            problems.append(f"{path}:{error.line}: {error.message}" if error.line else f"{path}: {error.message}")
        except (OSError, UnicodeDecodeError) as error:
            problems.append(f"{path}: cannot read: {error}")
    return cmdlets, problems


# ---------------------------------------------------------------------------------------------
# Writing MAML
# ---------------------------------------------------------------------------------------------


def q(name: str) -> str:
    """'maml:para' as the ElementTree name {namespace}para."""
    prefix, _, local = name.rpartition(":")
    return f"{{{NS[prefix]}}}{local}"


def sub(parent: ET.Element, name: str, text: str | None = None, attributes: dict[str, str] | None = None) -> ET.Element:
    """A child element; an attribute name with a prefix ('command:variableLength') is qualified."""
    qualified = {q(key) if ":" in key else key: value for key, value in (attributes or {}).items()}
    element = ET.SubElement(parent, q(name), qualified)
    element.text = text
    return element


def add_paras(parent: ET.Element, name: str, texts: list[str]) -> ET.Element:
    element = sub(parent, name)
    for text in texts:
        sub(element, "maml:para", text)
    if not texts:
        sub(element, "maml:para")
    return element


def build_command(cmdlet: Cmdlet) -> ET.Element:
    command = ET.Element(q("command:command"))
    verb, noun = cmdlet.name.split("-", 1)
    details = sub(command, "command:details")
    sub(details, "command:name", cmdlet.name)
    sub(details, "command:verb", verb)
    sub(details, "command:noun", noun)
    add_paras(details, "maml:description", cmdlet.synopsis)
    add_paras(command, "maml:description", cmdlet.description)
    add_syntax(command, cmdlet)
    add_parameters(command, cmdlet.parameters)
    add_types(command, "command:inputTypes", "command:inputType", cmdlet.inputs)
    add_types(command, "command:returnValues", "command:returnValue", cmdlet.outputs)
    alerts = sub(command, "maml:alertSet")
    add_paras(alerts, "maml:alert", cmdlet.notes)
    add_examples(command, cmdlet.examples)
    add_links(command, cmdlet.links)
    return command


def add_syntax(command: ET.Element, cmdlet: Cmdlet) -> None:
    syntax = sub(command, "command:syntax")
    by_name = {parameter.name: parameter for parameter in cmdlet.parameters}
    for syntax_set in cmdlet.syntax:
        item = sub(syntax, "command:syntaxItem")
        sub(item, "maml:name", cmdlet.name)
        for param in syntax_set.params:
            parameter = by_name[param.name]
            block = parameter.block_for(syntax_set.name)
            assert block is not None  # check_syntax_set made sure
            element = parameter_element(item, parameter, block, required=block.required)
            add_value(element, parameter, block, in_syntax=True)
            add_type_and_default(element, block)


def add_parameters(command: ET.Element, parameters: list[Parameter]) -> None:
    section = sub(command, "command:parameters")
    for parameter in parameters:
        block = parameter.first
        required = any(candidate.required for candidate in parameter.blocks)
        element = parameter_element(section, parameter, block, required=required)
        add_paras(element, "maml:description", parameter.description)
        add_value(element, parameter, block, in_syntax=False)
        add_type_and_default(element, block)


def parameter_element(parent: ET.Element, parameter: Parameter, block: ParamBlock, required: bool) -> ET.Element:
    attributes = {
        "required": str(required).lower(),
        "variableLength": str(block.type.endswith("[]")).lower(),
        "globbing": str(block.globbing).lower(),
        "pipelineInput": block.pipeline,
        "position": "named" if block.position == "Named" else block.position,
        "aliases": ", ".join(block.aliases) or "none",
    }
    element = sub(parent, "command:parameter", attributes=attributes)
    sub(element, "maml:name", parameter.name)
    return element


def add_value(element: ET.Element, parameter: Parameter, block: ParamBlock, in_syntax: bool) -> None:
    """The value's short type name, and the accepted values; a switch has no value in a syntax."""
    if block.accepted:
        group = sub(element, "command:parameterValueGroup")
        for value in block.accepted:
            sub(group, "command:parameterValue", value, {"required": "false", "command:variableLength": "false"})
    if parameter.is_switch and in_syntax:
        return
    short = block.type.rsplit(".", 1)[-1]
    attributes = {"required": str(not parameter.is_switch).lower(), "variableLength": "false"}
    sub(element, "command:parameterValue", short, attributes)


def add_type_and_default(element: ET.Element, block: ParamBlock) -> None:
    dev_type = sub(element, "dev:type")
    sub(dev_type, "maml:name", block.type)
    sub(dev_type, "maml:uri")
    sub(element, "dev:defaultValue", block.default)


def add_types(command: ET.Element, outer: str, inner: str, entries: list[TypeEntry]) -> None:
    container = sub(command, outer)
    for entry in entries:
        element = sub(container, inner)
        dev_type = sub(element, "dev:type")
        sub(dev_type, "maml:name", entry.name)
        add_paras(element, "maml:description", entry.description)


def add_examples(command: ET.Element, examples: list[Example]) -> None:
    container = sub(command, "command:examples")
    for example in examples:
        element = sub(container, "command:example")
        sub(element, "maml:title", f"-------------------------- {example.title} --------------------------")
        sub(element, "dev:code", example.code)
        add_paras(element, "dev:remarks", example.remarks)


def add_links(command: ET.Element, links: list[Link]) -> None:
    container = sub(command, "maml:relatedLinks")
    for link in links:
        element = sub(container, "maml:navigationLink")
        sub(element, "maml:linkText", link.text)
        sub(element, "maml:uri", link.uri)


def build_maml(cmdlets: list[Cmdlet]) -> bytes:
    for prefix, uri in NS.items():
        ET.register_namespace(prefix, uri)
    root = ET.Element(q(":helpItems"), {"schema": "maml"})
    for cmdlet in sorted(cmdlets, key=lambda c: c.name):
        root.append(build_command(cmdlet))
    ET.indent(root, space="  ")
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
    ET.fromstring(data)  # what was written reads back as XML
    return data


# ---------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Builds en-US/PartnerCenterNative.dll-Help.xml from powershell/help/*.md."
    )
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--out", type=Path, metavar="DIR", help=f"write DIR/{HELP_FILE}")
    mode.add_argument("--check", action="store_true", help="only validate the Markdown")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    arguments = parse_arguments(argv)
    cmdlets, problems = parse_all(HERE)
    for problem in problems:
        print(f"build-help: {problem}", file=sys.stderr)
    if problems:
        print(f"build-help: {len(problems)} help source(s) invalid; nothing written", file=sys.stderr)
        return 1
    if arguments.check:
        print(f"build-help: {len(cmdlets)} help sources valid")
        return 0
    out: Path = arguments.out
    out.mkdir(parents=True, exist_ok=True)
    target = out / HELP_FILE
    target.write_bytes(build_maml(cmdlets))
    print(f"build-help: {len(cmdlets)} cmdlets written")
    print(target.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
