"""Workflows: functions that own their transactions. Each takes a session factory, opens and
commits its own short transactions, and may call the outside world (the payment gateway)
between them. Everything else in ``orders`` is a service: it takes the caller's session and
never commits. A route that calls a workflow holds no transaction of its own."""
