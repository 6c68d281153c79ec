"""The ``python -m index`` command line: a thin layer over :mod:`index.writer`
and :mod:`index.report`."""

import argparse
import json
import os
import sys
import textwrap

from .progress import Progress
from .report import check, stats
from .store import LockedError, NoIndexError, StoreError, default_index_dir
from .writer import NothingIndexedError, add, build, remove

EXIT_OK = 0
EXIT_FAILED = 1  # nothing indexed, nothing removed, or check found errors
EXIT_USAGE = 2  # wrong arguments (argparse's own code)
EXIT_LOCKED = 3  # another writer holds the index
EXIT_NO_INDEX = 4  # there is no index to read or change

DESCRIPTION = """\
Build and maintain the multilingual news index (Greek, German, Hungarian,
Russian; other languages are indexed without stemming).

Input: .txt files (one article each; the file name without .txt is its id),
.json (an object or a list of objects), .jsonl (one object per line) and .html
pages, or folders holding them.  JSON objects need "body" (or "text") and an
"id" (or a "url" to derive one from); "title", "date", "url", "source" and
"lang" are optional and win over what the text says.  Files that cannot be read
are reported with the reason and skipped; the rest is indexed.

The index lives in --index-dir, else $SEARCH_INDEX_DIR, else var/index.
"""

EPILOG = """\
examples:
  python -m index build data/                 rebuild from the demo articles
  python -m index add new/ more.jsonl         add or replace articles by id
  python -m index remove 002_4df69229d299b9a4 delete an article
  python -m index stats --json                counts per language
  python -m index check                       verify the live index

exit status:
  0 success; 1 nothing indexed or removed, or check found errors;
  2 wrong arguments; 3 another writer is changing the index; 4 no index yet.
"""


def _formatter(prog):
    return argparse.RawDescriptionHelpFormatter(prog, max_help_position=32)


def make_parser():
    parser = argparse.ArgumentParser(
        prog="python -m index", description=DESCRIPTION, epilog=EPILOG, formatter_class=_formatter
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--index-dir",
        metavar="DIR",
        default=None,
        help="index directory (default: $SEARCH_INDEX_DIR, else var/index)",
    )
    common.add_argument("--json", action="store_true", help="print the result as JSON on stdout")

    writing = argparse.ArgumentParser(add_help=False)
    writing.add_argument(
        "--wait",
        metavar="SECONDS",
        type=float,
        default=0.0,
        help="if another writer is changing the index, wait this long for it (default: fail at once)",
    )

    ingesting = argparse.ArgumentParser(add_help=False)
    ingesting.add_argument("paths", nargs="+", metavar="PATH", help="files or folders to index")
    ingesting.add_argument(
        "--workers",
        metavar="N",
        type=int,
        default=None,
        help="worker processes: for analysis and indexing in build, for cleaning and language detection in add "
        "(default: all cores for inputs over 2 MB, else 1)",
    )
    ingesting.add_argument("--quiet", action="store_true", help="no progress reports on stderr")

    commands.add_parser(
        "build",
        parents=[ingesting, common, writing],
        formatter_class=_formatter,
        help="rebuild the index from scratch",
        description="Index PATHs into a new index and switch to it when it is complete. The live index "
        "keeps serving meanwhile, and stays as it was if the build fails or is interrupted.",
    )
    commands.add_parser(
        "add",
        parents=[ingesting, common, writing],
        formatter_class=_formatter,
        help="add articles, replacing those with the same id",
        description="Add the articles in PATHs to the live index; an article whose id is already "
        "indexed is replaced. Creates the index if there is none.",
    )
    remove_parser = commands.add_parser(
        "remove",
        parents=[common, writing],
        formatter_class=_formatter,
        help="delete articles by id",
        description="Delete the articles with these ids from the live index.",
    )
    remove_parser.add_argument("ids", nargs="+", metavar="ID", help="article ids (a .txt file's name without .txt)")
    commands.add_parser(
        "stats",
        parents=[common],
        formatter_class=_formatter,
        help="show what the index holds",
        description="Articles per language, paragraphs per language, sources, and the index's size.",
    )
    commands.add_parser(
        "check",
        parents=[common],
        formatter_class=_formatter,
        help="verify that the live index is sound",
        description="Open the live index, read every document, and look for leftovers of failed builds. "
        "Exit status 0 when the index is sound, 1 otherwise.",
    )
    return parser


def main(argv=None):
    parser = make_parser()
    args = parser.parse_args(argv)
    index_dir = args.index_dir or default_index_dir()
    if getattr(args, "workers", None) is not None and args.workers < 1:
        parser.error("--workers must be at least 1")
    try:
        return COMMANDS[args.command](args, index_dir)
    except LockedError as exc:
        return _fail(str(exc), EXIT_LOCKED)
    except NoIndexError as exc:
        return _fail(str(exc), EXIT_NO_INDEX)
    except StoreError as exc:
        return _fail(str(exc), EXIT_FAILED)
    except KeyboardInterrupt:
        return _fail("interrupted; the live index is unchanged", 130)
    except BrokenPipeError:
        # The reader of our output went away (`… | head`); the work is done.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def _fail(message, code):
    print(f"error: {message}", file=sys.stderr)
    return code


def _ingest(args, index_dir, operation):
    progress = Progress(enabled=not args.quiet)
    try:
        summary = operation(args.paths, index_dir, workers=args.workers, wait=args.wait, progress=progress)
    except NothingIndexedError as exc:
        _print_summary(exc.summary, args.json)
        return _fail("nothing could be indexed; the index is unchanged", EXIT_FAILED)
    _print_summary(summary, args.json)
    return EXIT_OK


def run_build(args, index_dir):
    return _ingest(args, index_dir, build)


def run_add(args, index_dir):
    return _ingest(args, index_dir, add)


def run_remove(args, index_dir):
    summary = remove(args.ids, index_dir, wait=args.wait)
    _note_killed_writer(summary)
    if args.json:
        print(json.dumps(summary.to_json(), ensure_ascii=False, indent=2))
    else:
        print(f"Removed {summary.removed} article(s) from {index_dir}.")
        if summary.not_found:
            print(f"Not in the index: {', '.join(summary.not_found)}")
    return EXIT_OK if summary.removed else EXIT_FAILED


def run_stats(args, index_dir):
    result = stats(index_dir)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"Index {result['index_dir']} ({result['generation']}, built {result['built_at']}, "
          f"{result['size_bytes'] / 1e6:.1f} MB)")
    print(f"  articles: {result['articles']:,}")
    print(f"  articles by language:   {_counts(result['languages'])}")
    print(f"  paragraphs by language: {_counts(result['paragraph_languages'])}")
    print(f"  sources: {_counts(dict(list(result['sources'].items())[:10]))}")
    return EXIT_OK


def run_check(args, index_dir):
    findings = check(index_dir)
    sound = not any(level == "error" for level, _ in findings)
    if args.json:
        print(json.dumps({"ok": sound, "findings": [{"level": l, "message": m} for l, m in findings]}, indent=2))
    else:
        for level, message in findings:
            print(f"{level:>7}: {message}")
        print("The index is sound." if sound else "The index has errors.")
    return EXIT_OK if sound else EXIT_FAILED


COMMANDS = {"build": run_build, "add": run_add, "remove": run_remove, "stats": run_stats, "check": run_check}


def _counts(counts):
    return ", ".join(f"{key} {value:,}" for key, value in counts.items()) or "none"


def _note_killed_writer(summary):
    if summary.killed_writer:
        print(
            f"note: {summary.killed_writer} was killed before it finished; the kernel had released its lock, "
            "and what it left behind has been cleared",
            file=sys.stderr,
        )


def _print_summary(summary, as_json):
    _note_killed_writer(summary)
    if as_json:
        print(json.dumps(summary.to_json(), ensure_ascii=False, indent=2))
        return
    verb = {"build": "Indexed", "add": "Added"}[summary.command]
    replaced = f" ({summary.replaced} replaced)" if summary.replaced else ""
    print(
        f"{verb} {summary.articles:,} articles{replaced} in {summary.seconds:.1f} s "
        f"({summary.articles_per_second:,.1f} articles/s, {summary.workers} worker(s)) into {summary.index_dir}"
        + (f" ({summary.generation})" if summary.generation else "")
    )
    print(f"  articles by language:   {_counts(dict(summary.languages.most_common()))}")
    print(f"  paragraphs by language: {_counts(dict(summary.paragraph_languages.most_common()))}")
    if summary.skipped:
        print(f"  skipped {len(summary.skipped)}:")
        for origin, reason in summary.skipped:
            print(textwrap.indent(f"{origin}: {reason}", "    "))
