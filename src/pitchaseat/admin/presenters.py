"""Shaping the console's objects for the API and the pages."""

from __future__ import annotations

from pitchaseat.adapters.storage import ImageStorage
from pitchaseat.admin.models import AuditEntry, DisputeEvidence, ListingReport
from pitchaseat.admin.schemas import (
    AuditOut,
    AuditTarget,
    DisputeOut,
    EvidenceOut,
    ReportedListing,
    ReportOut,
)
from pitchaseat.listings.models import Listing
from pitchaseat.orders.models import Order


def report_out(report: ListingReport, listing: Listing) -> ReportOut:
    return ReportOut(
        id=report.id,
        listing=ReportedListing(
            id=listing.id,
            game_id=listing.game_id,
            seller_id=listing.seller_id,
            status=listing.status.value,
            price=listing.price,
            face_value=listing.face_value,
        ),
        reporter_id=report.reporter_id,
        reason=report.reason,
        note=report.note,
        status=report.status.value,
        created_at=report.created_at,
    )


def evidence_out(evidence: DisputeEvidence, order: Order, storage: ImageStorage) -> EvidenceOut:
    return EvidenceOut(
        id=evidence.id,
        order_id=evidence.order_id,
        author_id=evidence.author_id,
        role="buyer" if evidence.author_id == order.buyer_id else "seller",
        note=evidence.note,
        image_url=storage.url(evidence.storage_key) if evidence.storage_key else None,
        thumbnail_url=storage.url(evidence.thumbnail_key) if evidence.thumbnail_key else None,
        created_at=evidence.created_at,
    )


def dispute_out(order: Order, evidence: list[DisputeEvidence], storage: ImageStorage) -> DisputeOut:
    return DisputeOut(
        id=order.id,
        status=order.status.value,
        listing_id=order.listing_id,
        game_id=order.game_id,
        buyer_id=order.buyer_id,
        seller_id=order.seller_id,
        quantity=order.quantity,
        amount=order.amount,
        evidence=[evidence_out(item, order, storage) for item in evidence],
    )


def audit_out(entry: AuditEntry) -> AuditOut:
    return AuditOut(
        id=entry.id,
        actor_id=entry.actor_id,
        action=entry.action,
        target=AuditTarget(type=entry.target_type, id=entry.target_id),
        reason=entry.reason,
        data=entry.data or {},
        at=entry.at,
    )
