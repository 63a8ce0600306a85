"""The operator console: fans' reports, take-downs, suspensions, disputes with evidence,
payouts, game changes and the audit log every operator action writes."""
