"""An offline captcha: a small sum drawn as an inline SVG with noise, its answer kept in the session.

No outside service (the bureaus' network may be closed). Each question belongs to one form (its one-time
key) and is used once: checking it removes it, right or wrong, so a bot cannot try many answers against
one question. The session keeps at most a few open questions (several tabs).

The SVG is drawn with the digits as glyph paths would be overkill; plain <text> with random rotation,
offsets and crossing lines stops naive scrapers, which is what an offline captcha can honestly do; the
rate limits do the rest.
"""

from __future__ import annotations

import secrets

from django.utils.html import escape

from silvershield.portal.conf import captcha_fixed_answer

SESSION_KEY = "portal_captcha"
MAX_OPEN = 5
_rng = secrets.SystemRandom()


def _question() -> tuple[str, int]:
    fixed = captcha_fixed_answer()
    if fixed is not None:
        a = _rng.randint(0, min(fixed, 9))
        return f"{a} + {fixed - a}", fixed
    if _rng.random() < 0.5:
        a, b = _rng.randint(1, 9), _rng.randint(1, 9)
        return f"{a} + {b}", a + b
    a = _rng.randint(5, 9)
    b = _rng.randint(1, a - 1)
    return f"{a} - {b}", a - b


def new_challenge(session, key: str) -> str:
    """Make a question for form `key`, remember its answer, and return the SVG for the page."""
    text, answer = _question()
    store = dict(session.get(SESSION_KEY) or {})
    store[key] = answer
    while len(store) > MAX_OPEN:
        store.pop(next(iter(store)))
    session[SESSION_KEY] = store
    return render_svg(text + " = ?")


def check(session, key: str, given: str) -> bool:
    """True when `given` answers form `key`'s question; the question is used up either way."""
    store = dict(session.get(SESSION_KEY) or {})
    expected = store.pop(key, None)
    session[SESSION_KEY] = store
    if expected is None:
        return False
    given = (given or "").strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    return given.isdigit() and int(given) == int(expected)


def answer_for(session, key: str) -> int | None:
    """The stored answer (for tests only, which read the test client's session)."""
    return (session.get(SESSION_KEY) or {}).get(key)


def render_svg(text: str) -> str:
    width, height = 260, 80
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        'role="img" aria-label="验证题：一道算术题" class="captcha-svg">',
        f'<rect width="{width}" height="{height}" fill="#fffbe6"/>',
    ]
    for _ in range(6):
        x1, y1 = _rng.randint(0, width), _rng.randint(0, height)
        x2, y2 = _rng.randint(0, width), _rng.randint(0, height)
        shade = _rng.choice(["#8a9bb0", "#b0a08a", "#9ab08a"])
        parts.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{shade}" stroke-width="1.5"/>')
    for _ in range(30):
        parts.append(
            f'<circle cx="{_rng.randint(0, width)}" cy="{_rng.randint(0, height)}" r="{_rng.choice([1, 1.5, 2])}" '
            'fill="#9aa5b4"/>'
        )
    x = 18
    for ch in text:
        if ch == " ":
            x += 10
            continue
        rot = _rng.randint(-18, 18)
        y = _rng.randint(50, 60)
        size = _rng.randint(34, 40)
        parts.append(
            f'<text x="{x}" y="{y}" font-size="{size}" font-family="DejaVu Sans, Arial, sans-serif" '
            f'font-weight="700" fill="#1d2733" transform="rotate({rot} {x + 10} {y - 12})">{escape(ch)}</text>'
        )
        x += _rng.randint(24, 30)
    x1, x2 = _rng.randint(5, 40), _rng.randint(200, 255)
    parts.append(
        f'<path d="M{x1} {_rng.randint(30, 55)} Q{width // 2} {_rng.randint(0, 80)} {x2} {_rng.randint(30, 55)}" '
        'stroke="#1d2733" stroke-width="2" fill="none" opacity=".55"/>'
    )
    parts.append("</svg>")
    return "".join(parts)
