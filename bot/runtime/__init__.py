"""Running the assistant: training, Rasa's configuration and patches, the processes.

To change how Rasa is started, open :mod:`bot.runtime.launcher` (its command line and
environment, and every step of ``bot run``).

- :mod:`bot.runtime.cli`: ``bot run`` and ``bot train`` (the only module here that prints);
- :mod:`bot.runtime.launcher`: the processes, their commands and environment; ``prepare``
  and ``serve`` (``bot run``), ``private_assistant`` (tests, ``bot eval``);
- :mod:`bot.runtime.model`: the model's fingerprint, ``rasa train`` when the inputs changed;
- :mod:`bot.runtime.endpoints`: Rasa's endpoints file, generated from the settings;
- :mod:`bot.runtime.rasa_server`: Rasa's command line with our patches applied first;
- :mod:`bot.runtime.process`: one child process: start, wait until it answers, stop;
- :mod:`bot.runtime.preflight`: checks before anything starts (one line per problem);
- :mod:`bot.runtime.nginx`: nginx's configuration, generated from the settings;
- :mod:`bot.runtime.supervisor`: restarts a child that dies or stops answering;
- :mod:`bot.runtime.lock_store`: Rasa's Redis lock, quick to recover from a dead instance;
- :mod:`bot.runtime.deploy` / :mod:`bot.runtime.publish`: hot reload: ``publish_model(settings,
  path)`` to every instance, through Rasa's HTTP API;
- :mod:`bot.runtime.metrics`: ``/metrics`` (Prometheus) of each instance;
- :mod:`bot.runtime.logs`: children's output as rotated JSON lines.
"""
