"""Detection evaluation over simulator scenarios (see run.py)."""
