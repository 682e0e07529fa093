"""Rasa custom actions. Thin by design: they read the tracker, call ``bot``, and send replies.

Run by the action server (``python -m rasa_sdk --actions actions``); no database or network
connection is opened at import time.
"""
