"""Each measure's own demo records, built after the leads have been driven through their workflows.

A step is `step(rng=…, org=…, entities=…, frame=…, today=…)`; it runs in its own transaction and must
go through the app's services and workflows like the rest of the demo data. Add a step by appending
`("label", module.function)` to STEPS; the order is the order they run in.
"""

from __future__ import annotations

from collections.abc import Callable

Step = Callable[..., None]

STEPS: list[tuple[str, Step]] = []

from silvershield.entities import demo as _entities_demo  # noqa: E402

STEPS.append(("entities: tiers, hazards, gates", _entities_demo.step))

from silvershield.screening import demo as _screening_demo  # noqa: E402

STEPS.append(("screening: meetings held and open", _screening_demo.run))

from silvershield.portal import demo as _portal_demo  # noqa: E402

STEPS.append(("portal: public reports with tracking codes", _portal_demo.step))

from silvershield.ads.demo import seed_ads  # noqa: E402

STEPS.append(("ad monitoring", seed_ads))

from silvershield.intake import demo as _intake_demo  # noqa: E402

STEPS.append(("channels: informants' reports, 12315 calls, referrals", _intake_demo.step))

# Last, so the steps before it draw the same random numbers as before it was added.
STEPS.append(("entities: inspections and first visits", _entities_demo.inspection_step))
