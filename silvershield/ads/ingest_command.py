"""`silvershield ads ingest FILE [--skip-bad]`: store ads from a file, with a progress bar."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError
from tqdm import tqdm

from silvershield.ads.ingest import FileError, clean_rows, read_rows
from silvershield.ads.services import IngestFailed, ingest_ads
from silvershield.core.errors import DomainError
from silvershield.core.models import OrgUnit, OrgUnitKind, User


def _who(options) -> tuple[User | None, OrgUnit | None]:
    if options.get("user"):
        try:
            return User.objects.select_related("unit").get(username=options["user"]), None
        except User.DoesNotExist:
            raise CommandError(f"没有用户 {options['user']}") from None
    if options.get("bureau"):
        bureau = OrgUnit.objects.filter(code=options["bureau"], kind=OrgUnitKind.BUREAU).first()
        if bureau is None:
            raise CommandError(f"没有代码为 {options['bureau']} 的局")
        return None, bureau
    raise CommandError("请用 --user 指定广告监测员（或用 --bureau 指定局）")


def run_ingest(command, options) -> None:
    actor, bureau = _who(options)
    path = Path(options["file"])
    if not path.is_file():
        raise CommandError(f"找不到文件 {path}")
    with path.open("rb") as stream, tqdm(unit=" ads", desc="导入", disable=None) as bar:
        try:
            result = ingest_ads(
                rows=clean_rows(read_rows(stream=stream, filename=path.name)),
                actor=actor,
                bureau=bureau,
                source=path.name,
                skip_bad=options["skip_bad"],
                progress=bar.update,
            )
        except IngestFailed as exc:
            for error in exc.errors:
                command.stderr.write(str(error))
            raise CommandError(
                f"{len(exc.errors)} 行有误，未导入任何广告（加 --skip-bad 可跳过坏行导入其余）"
            ) from exc
        except FileError as exc:
            raise CommandError(exc.message) from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
    for error in result.errors:
        command.stderr.write(f"已跳过 {error}")
    command.stdout.write(
        f"读取 {result.rows} 行：新增 {result.created} 条广告，{result.duplicates} 条已存在未重复导入，"
        f"跳过 {result.skipped} 行有误；发现 {result.findings} 处疑似违法（导入批次 #{result.batch.pk}）"
    )
