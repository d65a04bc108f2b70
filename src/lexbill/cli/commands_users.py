"""`lexbill user list|role|deactivate|reactivate|reset-password`: the firm's members (`user add` is in
commands_admin). The same services as the web's Users page and the API's /users/."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from .access import cli_user
from .commands_admin import user
from .common import echo_json, firm_command

if TYPE_CHECKING:
    from lexbill.core.models import Firm, Membership

ROLES = ["admin", "billing", "attorney", "accounting", "client"]


def member_row(membership: Membership, last_used: dict[int, Any]) -> dict[str, Any]:
    account = membership.user
    used = last_used.get(account.pk)
    return {
        "email": account.email, "name": account.get_full_name(), "role": membership.role,
        "active": membership.is_active,
        "last_login": account.last_login.isoformat(timespec="seconds") if account.last_login else None,
        "last_used_firm": used.slug if used else None,
    }


@user.command("list")
@firm_command
def user_list_cmd(firm: Firm, as_json: bool) -> None:
    """List the firm's members: email, name, role, active, last login, last used firm."""
    from lexbill.core.users import last_used_firms, member_list

    members = list(member_list(firm))
    last_used = last_used_firms([m.user_id for m in members])
    rows = [member_row(m, last_used) for m in members]
    if as_json:
        echo_json(rows)
        return
    click.echo(f"{'EMAIL':<40} {'NAME':<24} {'ROLE':<10} {'ACTIVE':<6} {'LAST LOGIN':<19} LAST USED FIRM")
    for row in rows:
        active = "yes" if row["active"] else "no"
        click.echo(f"{row['email']:<40} {row['name'] or '-':<24} {row['role']:<10} {active:<6} "
                   f"{(row['last_login'] or 'never')[:19]:<19} {row['last_used_firm'] or '-'}")


@user.command("role")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(ROLES))
@firm_command
def user_role_cmd(email: str, role: str, firm: Firm, as_json: bool) -> None:
    """Change a member's role (a firm keeps at least one active admin)."""
    from lexbill.core.users import member_by_email, member_role_set

    changed = member_role_set(membership=member_by_email(firm, email), actor=cli_user(), role=role)
    _done(changed, as_json, f"{changed.user.email} is {changed.role} in {firm}")


@user.command("deactivate")
@click.argument("email")
@firm_command
def user_deactivate_cmd(email: str, firm: Firm, as_json: bool) -> None:
    """Deactivate a member: they keep their history but can no longer use the firm (nor log in, without
    another firm)."""
    from lexbill.core.users import member_active_set, member_by_email

    changed = member_active_set(membership=member_by_email(firm, email), actor=cli_user(), is_active=False)
    _done(changed, as_json, f"{changed.user.email} is deactivated in {firm}")


@user.command("reactivate")
@click.argument("email")
@firm_command
def user_reactivate_cmd(email: str, firm: Firm, as_json: bool) -> None:
    """Reactivate a deactivated member."""
    from lexbill.core.users import member_active_set, member_by_email

    changed = member_active_set(membership=member_by_email(firm, email), actor=cli_user(), is_active=True)
    _done(changed, as_json, f"{changed.user.email} is active in {firm}")


@user.command("reset-password")
@click.argument("email")
@firm_command
def user_reset_password_cmd(email: str, firm: Firm, as_json: bool) -> None:
    """Give a member a new one-time password (printed once); they choose their own at their next login."""
    from lexbill.core.users import member_by_email, member_password_reset

    membership = member_by_email(firm, email)
    password = member_password_reset(membership=membership, actor=cli_user())
    if as_json:
        echo_json({"email": membership.user.email, "firm": firm.slug, "password": password})
    else:
        click.echo(f"one-time password for {membership.user.email}: {password}")


def _done(membership: Membership, as_json: bool, message: str) -> None:
    if as_json:
        echo_json({"email": membership.user.email, "role": membership.role, "active": membership.is_active})
    else:
        click.echo(message)
