"""Orders: checkout holds, the order state machine and its history."""
