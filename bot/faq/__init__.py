"""Staff-edited FAQ: one YAML file per topic under ``faq/`` is the single source of truth.

- :mod:`bot.faq.model` reads the sources; :mod:`bot.faq.validate` checks them (format,
  languages, examples, unsafe answers, sources and dates, similarity between entries);
- :mod:`bot.faq.generate` (``bot faq build``) generates the Rasa files from them (retrieval-
  intent NLU examples and the FR/EN responses), which carry a header and are never edited
  by hand; it refuses an FAQ with errors;
- :mod:`bot.faq.edit` changes the sources for staff without breaking them;
- :mod:`bot.faq.service` is what staff do (read entries from a file, add them, generate,
  train), for ``bot faq``, ``bot inbox``, ``bot run``/``train`` and the console;
- :mod:`bot.faq.cli` is ``bot faq`` (see docs/staff.md). Making the running assistant load a
  new model is bot/runtime/publish.py.
"""
