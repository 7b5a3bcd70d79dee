"""The `haven` command line."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from pathlib import Path

import bot  # noqa: F401  (sets RASA_TELEMETRY_ENABLED=false before Rasa loads)


def _quiet_logs(verbose: bool) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for noisy in ("rasa", "tensorflow", "absl", "sanic", "apscheduler", "matplotlib", "py.warnings"):
        logging.getLogger(noisy).setLevel(logging.ERROR if not verbose else logging.WARNING)
    import warnings

    warnings.filterwarnings("ignore")


def _load_assistant():
    from bot.assistant import Assistant
    from bot.model import train

    return Assistant.load(train())


def cmd_train(args: argparse.Namespace) -> int:
    from bot.model import train

    path = train(force=args.force)
    print(path)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from channels.settings import ConfigurationError, Settings

    try:
        Settings.from_env().require_safe()
    except ConfigurationError as error:
        print(f"haven: {error}", file=sys.stderr)
        return 2
    uvicorn.run(
        "channels.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        access_log=False,  # access logs carry client IPs: never written
        log_level="info",
        timeout_graceful_shutdown=20,
        ws="none",  # no websockets; uvicorn's websockets support needs a newer websockets than Rasa allows
    )
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    from channels.privacy import scrub_identifiers

    assistant = _load_assistant()
    answer = asyncio.run(assistant.ask(scrub_identifiers(args.text), args.language, args.country, args.nationality))
    if args.json:
        print(json.dumps(answer.as_json(), ensure_ascii=False, indent=2))
    else:
        print(answer.answer)
        print(f"\n[{answer.topic} · {answer.language} · {answer.confidence:.2f} · {answer.basis or '-'}]")
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    import secrets

    from bot import i18n
    from bot.sms import encode
    from channels.privacy import scrub_identifiers

    assistant = _load_assistant()
    sender = "cli-" + secrets.token_hex(8)

    async def run() -> None:
        if args.language:
            await assistant.handle(f'/set_language{{"language":"{i18n.normalise_locale(args.language) or "en"}"}}', sender, "sms")
        if args.country:
            await assistant.handle(f'/set_country{{"country":"{args.country.upper()}"}}', sender, "sms")
        print("Haven (as an SMS user sees it). Type a message; Ctrl-D or 'quit' to leave.")
        while True:
            try:
                text = input("> ").strip()
            except EOFError:
                break
            if text.lower() in {"quit", "exit"}:
                break
            if not text:
                continue
            for message in await assistant.handle(scrub_identifiers(text), sender, "sms"):
                encoded = encode(message.get("text", ""))
                print(encoded.text)
                print(f"   [{encoded.encoding}, {encoded.segments} segment(s)]")
        await assistant.forget(sender)

    asyncio.run(run())
    return 0


def cmd_content_check(args: argparse.Namespace) -> int:
    from bot.content_check import check_content
    from bot.i18n_tools import check_catalogs
    from bot.paths import content_dir

    directory = Path(args.content) if args.content else content_dir()
    report = check_content(directory, max_age=args.max_age)
    check_catalogs(report)
    for warning in report.warnings:
        print(f"{warning} (warning)")
    for error in report.errors:
        print(error)
    print(f"{len(report.errors)} error(s), {len(report.warnings)} warning(s)", file=sys.stderr)
    return 1 if report.errors else 0


def cmd_content_coverage(args: argparse.Namespace) -> int:
    from bot.coverage import coverage_command

    return coverage_command(args)


def cmd_i18n(args: argparse.Namespace) -> int:
    from bot import i18n_tools

    return {"extract": i18n_tools.extract, "update": i18n_tools.update, "compile": i18n_tools.compile_all}[args.action]()


def cmd_operator(args: argparse.Namespace) -> int:
    """`haven operator add NAME --role editor` / `haven operator remove NAME` / `haven operator list`."""
    import getpass

    from channels.operator import auth

    path = auth.operators_file()
    if args.action == "list":
        accounts = auth.read_accounts(path) if path.exists() else {}
        for account in accounts.values():
            print(f"{account.name}\t{account.role}")
        return 0
    if args.action == "remove":
        if not auth.remove_account(path, args.name):
            print(f"haven: no operator '{args.name}' in {path}", file=sys.stderr)
            return 1
        print(f"removed '{args.name}' from {path}")
        return 0
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass(f"Password for {args.name}: ")
        if getpass.getpass("Again: ") != password:
            print("haven: the passwords differ", file=sys.stderr)
            return 1
    try:
        auth.add_account(path, args.name, args.role, password)
    except ValueError as error:
        print(f"haven: {error}", file=sys.stderr)
        return 1
    print(f"{args.name} ({args.role}) saved in {path}")
    return 0


def cmd_nlu_eval(args: argparse.Namespace) -> int:
    from bot.nlu_eval import run_eval

    return run_eval(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="haven", description="Haven: crisis information for migrants, by SMS and chat.")
    parser.add_argument("-v", "--verbose", action="store_true", help="show Rasa's own logs")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("train", help="train the model into models/ (skipped when up to date)")
    p.add_argument("--force", action="store_true", help="train even if a model for this data exists")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("serve", help="run the gateway with the embedded assistant")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("ask", help="one question, one answer")
    p.add_argument("text")
    p.add_argument("--country", help="ISO country code, e.g. LB")
    p.add_argument("--language", help="answer language, e.g. fr (default: detected)")
    p.add_argument("--nationality", help="ISO code of the user's nationality, e.g. PH")
    p.add_argument("--json", action="store_true", help="print the /api/v1/ask response body")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("chat", help="a conversation in the terminal, as an SMS user would have it")
    p.add_argument("--country")
    p.add_argument("--language")
    p.set_defaults(func=cmd_chat)

    content = sub.add_parser("content", help="content tools").add_subparsers(dest="action", required=True)
    p = content.add_parser("check", help="validate content/ and the catalogs (exit 1 on error)")
    p.add_argument("--content", help="content directory (default: content/)")
    p.add_argument("--max-age", type=int, default=None, help="days after which 'verified' is stale (default 180)")
    p.set_defaults(func=cmd_content_check)
    p = content.add_parser("coverage", help="topic x country x language table")
    p.add_argument("--format", choices=("table", "markdown", "csv"), default="table")
    p.add_argument("--png", help="also write a heat map to this PNG file")
    p.set_defaults(func=cmd_content_coverage)

    p = sub.add_parser("i18n", help="translation catalogs")
    p.add_argument("action", choices=("extract", "update", "compile"))
    p.set_defaults(func=cmd_i18n)

    operator = sub.add_parser("operator", help="operator console accounts (HAVEN_OPERATORS_FILE)").add_subparsers(dest="action", required=True)
    p = operator.add_parser("add", help="create an account or set its password (asks twice)")
    p.add_argument("name")
    p.add_argument("--role", choices=("operator", "editor"), default="operator", help="editors may also publish bulletins")
    p.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    p.set_defaults(func=cmd_operator)
    p = operator.add_parser("remove", help="delete an account")
    p.add_argument("name")
    p.set_defaults(func=cmd_operator)
    p = operator.add_parser("list", help="list accounts and roles")
    p.set_defaults(func=cmd_operator)

    nlu = sub.add_parser("nlu", help="NLU tools").add_subparsers(dest="action", required=True)
    p = nlu.add_parser("eval", help="train on a split and evaluate the held-out part per language")
    p.add_argument("--test-share", type=float, default=0.2)
    p.add_argument("--report", default="reports/nlu", help="folder for the Markdown report and PNG")
    p.add_argument("--gate", action="store_true", help="exit 1 when a language is below its threshold")
    p.set_defaults(func=cmd_nlu_eval)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _quiet_logs(args.verbose)
    os.environ["RASA_TELEMETRY_ENABLED"] = "false"
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
