"""`silvershield reencrypt`: re-encrypt every encrypted field with the first key of SILVERSHIELD_FIELD_KEY.

Key rotation (docs/operations.md): put the new key first, restart, run this command, then drop the old
key. Each stored token is rotated (MultiFernet.rotate: decrypted with whichever key it was written with,
encrypted with the first), in batches of --batch-size rows, each batch in its own transaction, with a
progress bar. Keyed look-up hashes derived from the key (leads.Lead.reporter_phone_hash) are recomputed in
the same pass. A token no listed key opens is counted and left untouched, and the command exits 1, so an
old key is never dropped while some value still needs it. Running it twice is harmless.
"""

from __future__ import annotations

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import TextField, Value
from django.db.models.functions import Cast

from silvershield.core.crypto import EncryptedTextField, field_cipher


def encrypted_fields() -> list[tuple[type, list[str]]]:
    """Every model with encrypted columns, and those columns."""
    found = []
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if names:
            found.append((model, names))
    return found


class Command(BaseCommand):
    help = "Re-encrypt all encrypted fields with the first key of SILVERSHIELD_FIELD_KEY (after a key rotation)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument("--dry-run", action="store_true", help="count what would change, write nothing")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, batch_size: int, dry_run: bool, no_progress: bool, **options) -> None:
        from cryptography.fernet import InvalidToken
        from tqdm import tqdm

        from silvershield.leads.lookup import phone_hash

        if batch_size < 1:
            raise CommandError("--batch-size: at least 1")
        cipher = field_cipher()
        total_rows = total_values = failures = 0
        for model, names in encrypted_fields():
            label = model._meta.label
            queryset = model._default_manager.all()
            count = queryset.count()
            annotations = {f"raw_{n}": Cast(n, output_field=TextField()) for n in names}
            hashes_phone = label == "leads.Lead"
            last_pk = None
            bar = tqdm(total=count, desc=label, unit="row", disable=no_progress, file=self.stderr._out)
            while True:
                batch = queryset.order_by("pk")
                if last_pk is not None:
                    batch = batch.filter(pk__gt=last_pk)
                rows = list(batch.annotate(**annotations).values("pk", *annotations)[:batch_size])
                if not rows:
                    break
                last_pk = rows[-1]["pk"]
                with transaction.atomic():
                    for row in rows:
                        update = {}
                        for name in names:
                            token = row[f"raw_{name}"]
                            if not token:
                                continue
                            try:
                                new = cipher.rotate(token.encode("ascii")).decode("ascii")
                            except (InvalidToken, UnicodeEncodeError):
                                failures += 1
                                self.stderr.write(f"{label} #{row['pk']} {name}: no listed key opens this value")
                                continue
                            update[name] = Value(new, output_field=TextField())
                            total_values += 1
                            if hashes_phone and name == "reporter_phone":
                                plain = cipher.decrypt(token.encode("ascii")).decode("utf-8")
                                update["reporter_phone_hash"] = phone_hash(plain)
                        if update and not dry_run:
                            model._default_manager.filter(pk=row["pk"]).update(**update)
                total_rows += len(rows)
                bar.update(len(rows))
            bar.close()
        verb = "would re-encrypt" if dry_run else "re-encrypted"
        self.stdout.write(f"{verb} {total_values} values in {total_rows} rows; {failures} could not be opened")
        if failures:
            raise CommandError(f"{failures} values could not be decrypted with any listed key; keep the old key")
