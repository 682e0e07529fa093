"""Evaluation against real questions: the corpus (``corpus``), the pure judge (``judge``), the
runner that asks the running assistant (``runner``), the tables (``report``) and ``bot eval``."""
