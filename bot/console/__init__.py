"""The staff console: edit, review, preview and publish FAQ answers in the browser.

Layers, thinnest on top: ``web.py`` (aiohttp routes of ``/staff/``: the page and its JSON API)
calls the services (``entries``, ``preview``, ``publish``, ``inbox``, ``dashboard``), which
call the FAQ and inbox workflows (``bot.faq``, ``bot.inbox``) and keep their own records in
``store`` (users, sessions, versions, publications, audit). See docs/staff.md.
"""
