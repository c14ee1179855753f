"""Each measure's own demo records, built after the leads have been driven through their workflows.

A step is `step(rng=…, org=…, entities=…, frame=…, today=…)`; it runs in its own transaction and must
go through the app's services and workflows like the rest of the demo data. Add a step by appending
`("label", module.function)` to STEPS; the order is the order they run in.
"""

from __future__ import annotations

from collections.abc import Callable

Step = Callable[..., None]

STEPS: list[tuple[str, Step]] = []
