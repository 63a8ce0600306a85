"""The operator console's refusals (each with its status and code, see API.md)."""

from __future__ import annotations

from pitchaseat.errors import Conflict, InvalidInput


class AlreadyReported(Conflict):
    code = "already_reported"
    default_message = "You have already reported this listing."


class ListingNotRemovable(Conflict):
    code = "listing_not_removable"
    default_message = "Only a listing on sale or sold out can be taken down."


class ListingNotRemoved(Conflict):
    code = "listing_not_removed"
    default_message = "Only a listing that was taken down can be restored."


class AlreadySuspended(Conflict):
    code = "already_suspended"
    default_message = "This account is suspended already."


class NotSuspended(Conflict):
    code = "not_suspended"
    default_message = "This account is not suspended."


class CannotSuspendOperator(Conflict):
    code = "cannot_suspend_operator"
    default_message = "An operator cannot be suspended; revoke the operator role first."


class OrderNotDisputed(Conflict):
    code = "order_not_disputed"
    default_message = "Evidence can only be added while the order is disputed."


class BadScheduleUpload(InvalidInput):
    code = "bad_schedule_file"
    default_message = "The file is not a UTF-8 CSV schedule."
