"""Operator commands: the periodic jobs by hand, disputes, rainouts, payouts."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TypeAlias, TypeVar

from pitchaseat.adapters.queue import InProcessQueue
from pitchaseat.admin.roles import set_operator
from pitchaseat.db import commit
from pitchaseat.discovery.report import ExperimentReport, experiment_report
from pitchaseat.discovery.variants import parse_split
from pitchaseat.errors import DomainError
from pitchaseat.jobs import run_tick
from pitchaseat.ledger.errors import NoPayoutAccount
from pitchaseat.ledger.payout_accounts import decrypt_account_number, payout_account
from pitchaseat.ledger.service import mark_payout_paid, payouts_due
from pitchaseat.notifications.delivery import failed_emails, resend
from pitchaseat.orders.game_changes import postpone_game
from pitchaseat.orders.workflows.disputes import DisputeOutcome, resolve_dispute
from pitchaseat.orders.workflows.game_changes import cancel_game
from pitchaseat.runtime import AppServices
from pitchaseat.settings import Settings
from pitchaseat.timeutil import TAIPEI
from pitchaseat.worker import install_email_jobs

ResultT = TypeVar("ResultT")
Subcommands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def _run(settings: Settings, work: Callable[[AppServices], Awaitable[ResultT]]) -> ResultT:
    async def with_services() -> ResultT:
        services = AppServices.from_settings(settings)
        install_email_jobs(services)
        try:
            return await work(services)
        finally:
            await services.close()

    return asyncio.run(with_services())


def _run_and_report(
    settings: Settings, work: Callable[[AppServices], Awaitable[str]], prefix: str
) -> int:
    """Runs an operator action; a refusal is printed with its code and exits 1."""
    try:
        outcome = _run(settings, work)
    except DomainError as error:
        print(f"refused ({error.code}): {error.message}")
        return 1
    print(f"{prefix}: {outcome}")
    return 0


def cmd_jobs_run(settings: Settings, args: argparse.Namespace) -> int:
    report = _run(settings, run_tick)
    print(
        f"{report.holds_released} hold(s) released, {report.payments_reconciled} payment(s) "
        f"reconciled, {report.refunded_missed_shipments} unshipped order(s) refunded, "
        f"{report.auto_completed} order(s) completed after their game, "
        f"{report.listings_expired} listing(s) expired, "
        f"{report.ship_reminders} seller(s) reminded to ship, "
        f"{report.deliveries_masked} delivery detail(s) masked, "
        f"{report.email_texts_removed} old email text(s) removed"
    )
    return 0


def cmd_resolve_dispute(settings: Settings, args: argparse.Namespace) -> int:
    async def work(services: AppServices) -> str:
        order = await resolve_dispute(
            services.session_factory,
            services.payments,
            args.order_id,
            DisputeOutcome(args.outcome),
            note=args.note,
        )
        return f"now {order.status.value}"

    return _run_and_report(settings, work, f"order {args.order_id}")


def _taipei_time(text: str) -> datetime:
    """'2026-05-03 18:35' in Taipei time (or any ISO time with its own offset)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date and time: {text!r}") from error
    return moment if moment.tzinfo else moment.replace(tzinfo=TAIPEI)


def cmd_games_postpone(settings: Settings, args: argparse.Namespace) -> int:
    async def work(services: AppServices) -> str:
        async with services.session_factory() as session:
            change = await postpone_game(session, args.game_id, makeup_starts_at=args.to)
            await commit(session)
        if args.to is None:
            return f"postponed, no make-up date yet; {change.holds_released} hold(s) released"
        return f"back on sale, make-up game at {args.to.astimezone(TAIPEI):%Y-%m-%d %H:%M}"

    return _run_and_report(settings, work, f"game {args.game_id}")


def cmd_games_cancel(settings: Settings, args: argparse.Namespace) -> int:
    async def work(services: AppServices) -> str:
        change = await cancel_game(services.session_factory, services.payments, args.game_id)
        failed = f", {len(change.refund_failed)} refund(s) failed (run again)"
        return (
            f"cancelled; {change.holds_released} hold(s) released, "
            f"{len(change.refunded)} order(s) refunded" + (failed if change.refund_failed else "")
        )

    return _run_and_report(settings, work, f"game {args.game_id}")


def cmd_payouts_due(settings: Settings, args: argparse.Namespace) -> int:
    async def work(services: AppServices) -> list[str]:
        async with services.session_factory() as session:
            lines = []
            for seller_id, amount in await payouts_due(session):
                account = await payout_account(session, seller_id)
                where = (
                    f"bank {account.bank_code}, account ending {account.account_number_last4}"
                    if account
                    else "no payout account yet"
                )
                lines.append(f"seller {seller_id}: NT${amount:,} ({where})")
            return lines

    due = _run(settings, work)
    print("\n".join(due) if due else "no payouts due")
    return 0


def cmd_payouts_account(settings: Settings, args: argparse.Namespace) -> int:
    """The full account to send a payout to (decrypted here only, for the bank transfer)."""

    async def work(services: AppServices) -> str:
        async with services.session_factory() as session:
            account = await payout_account(session, args.seller_id)
        if account is None:
            raise NoPayoutAccount(seller_id=args.seller_id)
        number = decrypt_account_number(
            account.account_number_encrypted, secret_key=settings.secret_key
        )
        shown = number or f"(unreadable with this secret key; ends {account.account_number_last4})"
        return f"bank {account.bank_code}, account {shown}, name {account.account_name}"

    return _run_and_report(settings, work, f"seller {args.seller_id}")


def cmd_payouts_mark_paid(settings: Settings, args: argparse.Namespace) -> int:
    async def work(services: AppServices) -> str:
        async with services.session_factory() as session:
            payout = await mark_payout_paid(
                session, args.seller_id, reference=args.reference, amount=args.amount
            )
            await commit(session)
            return f"NT${payout.amount:,} marked paid ({args.reference})"

    return _run_and_report(settings, work, f"seller {args.seller_id}")


def cmd_emails_failed(settings: Settings, args: argparse.Namespace) -> int:
    async def work(services: AppServices) -> list[str]:
        async with services.session_factory() as session:
            return [
                f"{row.id}\t{row.created_at.astimezone(TAIPEI):%Y-%m-%d %H:%M}\t{row.kind}\t"
                f"{row.to_address}\t{row.attempts} tries\t{row.last_error or ''}"
                for row in await failed_emails(session)
            ]

    lines = _run(settings, work)
    print("\n".join(lines) if lines else "no failed emails")
    return 0


def cmd_emails_resend(settings: Settings, args: argparse.Namespace) -> int:
    async def work(services: AppServices) -> str:
        async with services.session_factory() as session:
            row = await resend(session, args.email_id)
            await commit(session)
        if isinstance(services.jobs, InProcessQueue):
            await services.jobs.drain()
            return "sent again (see `pitchaseat emails failed` if it failed again)"
        return f"queued again for {row.to_address}"

    return _run_and_report(settings, work, f"email {args.email_id}")


def cmd_users_operator(settings: Settings, args: argparse.Namespace) -> int:
    granting = args.users_command == "grant-operator"

    async def work(services: AppServices) -> str:
        async with services.session_factory() as session:
            user = await set_operator(session, args.email, operator=granting)
            await commit(session)
        return "is an operator now" if user.is_operator else "is no longer an operator"

    return _run_and_report(settings, work, args.email)


def add_user_commands(commands: Subcommands) -> None:
    users = commands.add_parser("users", help="accounts and the operator role")
    users_commands = users.add_subparsers(dest="users_command", required=True)
    grant = users_commands.add_parser("grant-operator", help="give someone the operator role")
    grant.add_argument("email")
    grant.set_defaults(handler=cmd_users_operator)
    revoke = users_commands.add_parser(
        "revoke-operator", help="take the operator role away (their sessions end)"
    )
    revoke.add_argument("email")
    revoke.set_defaults(handler=cmd_users_operator)


def add_order_commands(orders: Subcommands) -> None:
    resolve = orders.add_parser("resolve-dispute", help="settle a disputed order")
    resolve.add_argument("order_id", type=int)
    resolve.add_argument("outcome", choices=[outcome.value for outcome in DisputeOutcome])
    resolve.add_argument("--note", required=True, help="why (kept in the order's history)")
    resolve.set_defaults(handler=cmd_resolve_dispute)


def add_game_commands(games: Subcommands) -> None:
    postpone = games.add_parser(
        "postpone", help="postpone a game (sales pause); with --to, set its make-up date"
    )
    postpone.add_argument("game_id", type=int)
    postpone.add_argument("--to", type=_taipei_time, help="make-up start, e.g. '2026-05-03 18:35'")
    postpone.set_defaults(handler=cmd_games_postpone)
    cancel = games.add_parser("cancel", help="call a game off: refund every order")
    cancel.add_argument("game_id", type=int)
    cancel.set_defaults(handler=cmd_games_cancel)


def add_top_level_commands(commands: Subcommands) -> None:
    add_user_commands(commands)
    jobs = commands.add_parser("jobs", help="the periodic jobs")
    jobs_commands = jobs.add_subparsers(dest="jobs_command", required=True)
    run = jobs_commands.add_parser(
        "run", help="run every periodic job once (holds, reconcile, deadlines, expiry)"
    )
    run.set_defaults(handler=cmd_jobs_run)

    emails = commands.add_parser("emails", help="the email outbox")
    emails_commands = emails.add_subparsers(dest="emails_command", required=True)
    failed = emails_commands.add_parser("failed", help="list emails that failed for good")
    failed.set_defaults(handler=cmd_emails_failed)
    resend_email = emails_commands.add_parser("resend", help="send a failed email again")
    resend_email.add_argument("email_id", type=int)
    resend_email.set_defaults(handler=cmd_emails_resend)

    payouts = commands.add_parser("payouts", help="money owed to sellers")
    payouts_commands = payouts.add_subparsers(dest="payouts_command", required=True)
    due = payouts_commands.add_parser("due", help="list sellers with money available")
    due.set_defaults(handler=cmd_payouts_due)
    paid = payouts_commands.add_parser(
        "mark-paid", help="record that a seller's available balance was sent"
    )
    paid.add_argument("seller_id", type=int)
    paid.add_argument("--reference", required=True, help="the bank transfer's reference")
    paid.add_argument(
        "--amount", type=int, help="NT$ sent, when less than the whole available balance"
    )
    paid.set_defaults(handler=cmd_payouts_mark_paid)
    account = payouts_commands.add_parser(
        "account", help="show the bank account to send a seller's payout to"
    )
    account.add_argument("seller_id", type=int)
    account.set_defaults(handler=cmd_payouts_account)


def cmd_recs_report(settings: Settings, args: argparse.Namespace) -> int:
    split = dict(parse_split(settings.recs_variant_split))

    async def work(services: AppServices) -> ExperimentReport:
        async with services.session_factory() as session:
            return await experiment_report(session, split)

    report = _run(settings, work)
    print(f"experiment {settings.recs_experiment}, split {settings.recs_variant_split}")
    print(f"{'variant':<8}{'users':>8}{'shown':>9}{'clicks':>8}  click-through (95% CI)")
    for v in report.variants:
        ctr = v.click_through
        print(
            f"{v.variant:<8}{v.users:>8}{v.impressions:>9}{v.clicks:>8}  "
            f"{ctr.rate:6.2%} ({ctr.low:.2%} - {ctr.high:.2%})"
        )
    check = report.sample_ratio
    if check is None:
        print("no recommendation events logged yet: not enough impressions to compare")
        return 0
    print(f"sample ratio check: chi-square {check.statistic:.2f}, p = {check.p_value:.4f}")
    if check.warning:
        print(f"WARNING: {check.warning}")
        print("the variants are not compared: fix the assignment or logging first")
        return 1
    if report.difference is None:
        print("not enough impressions in both variants to compare")
        return 0
    d = report.difference
    print(
        f"B - A: {d.difference:+.2%} (95% CI {d.low:+.2%} to {d.high:+.2%}), "
        f"z = {d.z:.2f}, p = {d.p_value:.4f}"
    )
    return 0


def add_recs_commands(recs: Subcommands) -> None:
    report = recs.add_parser(
        "report", help="click-through per variant from logged events, after a sample-ratio check"
    )
    report.set_defaults(handler=cmd_recs_report)
