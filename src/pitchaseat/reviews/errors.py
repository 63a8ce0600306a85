from __future__ import annotations

from pitchaseat.errors import Conflict


class AlreadyReviewed(Conflict):
    code = "already_reviewed"
    default_message = "You have already rated this order."


class NotReviewable(Conflict):
    code = "not_reviewable"
    default_message = "Only a completed order can be rated."


class AlreadyReplied(Conflict):
    code = "already_replied"
    default_message = "You have already replied to this review."
