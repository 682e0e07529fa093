"""``bot staff``: accounts of the staff console (the password is asked, never echoed)."""
from __future__ import annotations

import argparse
import getpass
import sys

from bot.console.auth import ROLES, add_user, list_users
from bot.console.settings import load_console_settings
from bot.console.store import open_store
from bot.errors import CliError


def _password() -> str:
    if not sys.stdin.isatty():  # scripts: one line on standard input
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password (at least 10 characters): ")
    if getpass.getpass("Same password again: ") != first:
        raise CliError("the two passwords differ; nothing was changed.")
    return first


def cmd_add_user(args: argparse.Namespace) -> int:
    engine = open_store(load_console_settings().database_url)
    staff = add_user(engine, args.name, args.role, _password())  # AuthError: printed by bot.cli
    print(f"Added {staff.name} ({staff.role}). They log in at /staff/ on the chat page server.")
    return 0


def cmd_users(args: argparse.Namespace) -> int:
    for user in list_users(open_store(load_console_settings().database_url)):
        flags = ("" if user["active"] else " (disabled)") + (" (locked)" if user["locked"] else "")
        print(f"{user['name']:<24} {user['role']}{flags}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    staff = subparsers.add_parser("staff", help="staff console accounts: add-user, users",
                                  description="Accounts of the staff console (/staff/). See docs/staff.md.")
    commands = staff.add_subparsers(dest="staff_command", metavar="ACTION", required=True)
    p = commands.add_parser("add-user", help="create an account (asks for its password)")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--role", choices=ROLES, required=True,
                   help="editor: writes drafts; reviewer: medical sign-off and publishing; admin: everything")
    p.set_defaults(handler=cmd_add_user)
    p = commands.add_parser("users", help="list the accounts")
    p.set_defaults(handler=cmd_users)
