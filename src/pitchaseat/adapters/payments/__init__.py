"""Payment providers behind one small interface: TapPay, and a sandbox for local runs."""
