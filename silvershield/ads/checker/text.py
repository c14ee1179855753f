"""Text helpers for the checker: a length-preserving normal form, and the context checks made on a hit.

Every offset the checker reports is an offset into the text as given. The normal form therefore maps
one character to exactly one character (full-width Latin letters, digits and punctuation to half-width,
the ideographic space to a space), so offsets in the normal form are offsets in the original.
"""

from __future__ import annotations

import re

# Full-width ASCII (U+FF01..U+FF5E) to ASCII, and the ideographic space to a space: 1 char → 1 char.
HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
HALF_WIDTH[0x3000] = 0x20


# Chinese text is full of these few; replacing them one by one is several times faster than translate()
# over the whole text, which then only runs for the rare ad with other full-width characters.
_COMMON_FULL_WIDTH = tuple((chr(code), chr(HALF_WIDTH[code])) for code in map(ord, "，：！？；（）％＂　"))
_OTHER_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000]")


def normalise(text: str) -> str:
    """The half-width form of `text`, same length, so spans carry over unchanged."""
    for full, half in _COMMON_FULL_WIDTH:
        if full in text:
            text = text.replace(full, half)
    if _OTHER_FULL_WIDTH.search(text):
        text = text.translate(HALF_WIDTH)
    return text


# A clause ends at a comma or a stronger stop; a sentence at a full stop, question or exclamation mark,
# semicolon or line break. (The text is already half-width, so "，" has become ",".)
_CLAUSE = r"[^,、。!?;\n]"
_SENTENCE = r"[^。!?;\n]"
SENTENCE_BREAKS = "。!?;\n"

# How far back a negation may stand from the phrase it negates: "不能根治" and "不能有效治疗" are
# negated; "不打针不吃药，根治" is not (another clause), and a bare "不" counts only right before
# the phrase ("不治疗"), because "不打针不吃药根治…" is a claim, not a denial. The patterns end at the
# phrase ($ at endpos) and cannot cross a clause break, so no clause boundary has to be found first.
_NEGATION_BEFORE = re.compile(
    r"(?:不能|不可|不会|不是|不具有?|不应|不宜|不得|不要|不用于|并非|并不|并无|没有|无法|绝不|决不|切勿|请勿|勿|而非|绝非)"
    rf"{_CLAUSE}{{0,4}}$|不$"
)
# Words that turn the rest of the sentence into a warning against the claim ("谨防…包治百病") or into
# hearsay the sentence goes on to refute ("网传…能降血糖纯属谣言").
_WARNING_WORDS = (
    "网传|谣传|传言|谨防|警惕|当心|提防|识破|揭穿|揭秘|别信|不要相信|切勿相信|不要轻信|勿信|防范|小心上当"
)
WARNING = re.compile(_WARNING_WORDS)
_WARNING_BEFORE = re.compile(rf"(?:{_WARNING_WORDS}){_SENTENCE}*$")
# A claim in quotation marks is only someone else's words when the sentence says so: "宣称'包治百病'".
# Quotation marks alone are also used for emphasis by advertisers, so they do not suppress a hit.
_REPORTING_BEFORE = re.compile(r"宣称|号称|声称|自称|所谓|谎称|鼓吹|吹嘘|打着|标榜|称其|扬言")
_DEBUNKING_AFTER = re.compile(
    r"^[^。!?;\n]{0,2}(?:的说法|的宣传|的广告|是骗|都是假|是谎言|不可信|为幌子|为噱头|的幌子|的噱头|的骗局|骗局|套路)"
)
OPEN_QUOTES = "“‘「『"
CLOSE_QUOTES = "”’」』"
ANY_QUOTE = re.compile('[“”‘’「」『』"]')
_NEGATION_REACH = 12
_SENTENCE_REACH = 120


def _sentence_start(text: str, start: int) -> int:
    floor = max(0, start - _SENTENCE_REACH)
    return max(floor, max(text.rfind(ch, floor, start) for ch in SENTENCE_BREAKS) + 1)


def is_negated(text: str, start: int, *, warned: bool = True) -> bool:
    """True when the phrase at `start` is denied in its own clause ("本品不能治疗疾病") or the sentence
    warns against it ("谨防宣称能治病的产品"). `warned=False` says the text has no warning word at all
    (WARNING), which spares the sentence search for most ads."""
    if _NEGATION_BEFORE.search(text, max(0, start - _NEGATION_REACH), start):
        return True
    return warned and _WARNING_BEFORE.search(text, max(0, start - _SENTENCE_REACH), start) is not None


def is_reported_quotation(text: str, start: int, end: int) -> bool:
    """True when the phrase stands inside quotation marks that the sentence marks as someone else's claim
    (宣称“包治百病”, “包治百病”的说法是骗人的)."""
    sentence_start = _sentence_start(text, start)
    open_at = max(text.rfind(ch, sentence_start, start) for ch in OPEN_QUOTES)
    if open_at >= 0:
        if max(text.rfind(ch, open_at, start) for ch in CLOSE_QUOTES) >= 0:
            return False
    else:
        # Straight quotes (also what full-width ＂ becomes) open and close alike: inside if an odd
        # number of them stand before the phrase in the sentence.
        if text.count('"', sentence_start, start) % 2 == 0:
            return False
        open_at = text.rfind('"', sentence_start, start)
    if _REPORTING_BEFORE.search(text, sentence_start, open_at + 1):
        return True
    close_at = end
    while close_at < len(text) and text[close_at] not in CLOSE_QUOTES and text[close_at] != '"':
        if text[close_at] in SENTENCE_BREAKS:
            return False
        close_at += 1
    return _DEBUNKING_AFTER.search(text[close_at + 1 : close_at + 12]) is not None
