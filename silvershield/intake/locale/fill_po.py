"""Fill the msgstr of locale/zh_Hans/LC_MESSAGES/django.po from translations.py; list what is missing."""

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from translations import ZH  # noqa: E402

PO = Path(__file__).parent / "zh_Hans/LC_MESSAGES/django.po"


def unquote(lines):
    return "".join(re.match(r'^(?:msgid(?:_plural)?\s+)?"(.*)"$', line).group(1) for line in lines).encode().decode("unicode_escape").encode("latin-1").decode("utf-8")


def quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


out, missing = [], []
for block in PO.read_text(encoding="utf-8").split("\n\n"):
    lines = block.split("\n")
    idx = [i for i, line in enumerate(lines) if line.startswith("msgid ")]
    if not idx:
        out.append(block)
        continue
    start = idx[0]
    end = next(i for i, line in enumerate(lines) if line.startswith(("msgstr", "msgid_plural")))
    msgid = unquote(lines[start:end])
    if msgid == "":
        out.append(block.replace("charset=CHARSET", "charset=UTF-8").replace('"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n"', '"Plural-Forms: nplurals=1; plural=0;\\n"'))
        continue
    text = ZH.get(msgid)
    if text is None:
        missing.append(msgid)
        out.append(block)
        continue
    head = [line for line in lines[:end] if not line.startswith("#, fuzzy")]
    plural = [line for line in lines[end:] if line.startswith("msgid_plural")]
    if plural:
        out.append("\n".join(head + plural + [f"msgstr[0] {quote(text)}"]))
    else:
        out.append("\n".join(head + [f"msgstr {quote(text)}"]))
PO.write_text("\n\n".join(out), encoding="utf-8")
print("missing:", missing)
