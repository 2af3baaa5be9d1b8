"""The thresholds every access-log rule reads; defaults are the seed's numbers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DetectionSettings:
    """Thresholds of the access-log rules (``Policy.detection_settings`` builds it from the policy).

    Every count threshold means "more than" unless its name says ``min_``.
    """

    failed_auth_threshold: int = 10
    """``failed-auth-burst`` fires at MORE than this many auth failures in one window (seed: 10)."""
    failed_auth_window_seconds: int = 60
    """Length of the sliding window, both ends inclusive: ``[t - 60 s, t]`` (seed: per minute)."""
    denied_threshold: int = 20
    """``denied-burst`` fires at MORE than this many denied calls in one window (DESIGN.md: 20)."""
    denied_window_seconds: int = 60
    """Length of the denied-call sliding window, both ends inclusive."""
    baseline_days: int = 30
    """A key's baseline is the first N days of its own history in the logs."""
    min_baseline_days: int = 7
    """``usage-anomaly`` needs at least this many baseline days in the logs to judge a key."""
    anomaly_mad_threshold: float = 5.0
    """A day is anomalous above ``median + k * max(1.4826 * MAD, sqrt(median), 1)`` (baseline)."""
    anomaly_min_events: int = 50
    """...and only when that day has at least this many events (quiet keys do not page)."""
    rate_period_days: int = 7
    """Default period for rates and trends: the last N days, compared with the N before."""
    rate_increase_factor: float = 2.0
    """``failed-auth-rate-increase``: current failure rate above factor x the previous rate..."""
    rate_min_failures: int = 20
    """...with at least this many failures in the current period..."""
    rate_min_rate: float = 0.05
    """...a current failure rate of at least this fraction..."""
    rate_min_events: int = 50
    """...and at least this many events in each of the two periods."""
    trend_factor: float = 3.0
    """Weekly "unusual trend": a key's period volume above factor x its previous period volume."""
    trend_min_events: int = 100
    """...with at least this many events in the current period."""
    retention_required_days: int = 365
    """PCI DSS 10.5.1: audit log history kept for at least 12 months..."""
    recent_days: int = 90
    """...with the most recent three months immediately available for analysis."""
    max_gap_hours: float = 24.0
    """``log-retention-gap``: a span with no events at all longer than this is a gap."""
    last_used_tolerance_hours: float = 24.0
    """``access-without-audit-trail``: inventory's last use later than the logged one by more."""
    ignore_temporary_keys: bool = True
    """Leave AWS temporary (``ASIA...``) key ids out of unknown keys: never inventoried."""
