"""The ad checker: pure Python, usable with or without the database.

    rulebook = CompiledRulebook(rules=default_rulespecs(), on=date.today())
    rulebook.check(text="…", product_type="health_food")  # → [Violation, …]

With the database, ads.queries.get_rulebook(on=…) gives the administrator's rulebook, cached per version.
"""

from silvershield.ads.checker.engine import CompiledRulebook
from silvershield.ads.checker.spec import PRODUCT_TYPES, RuleSpec, Violation

__all__ = ["CompiledRulebook", "PRODUCT_TYPES", "RuleSpec", "Violation"]
