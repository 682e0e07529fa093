"""Running the assistant in production: several Rasa instances behind nginx, supervised.

- :mod:`bot.runtime.preflight`: checks before anything starts (one line per problem);
- :mod:`bot.runtime.nginx`: nginx's configuration, generated from the settings;
- :mod:`bot.runtime.supervisor`: restarts a child that dies or stops answering;
- :mod:`bot.runtime.lock_store`: Rasa's Redis lock, quick to recover from a dead instance;
- :mod:`bot.runtime.publish`: ``publish_model(settings, path)`` to every instance;
- :mod:`bot.runtime.metrics`: ``/metrics`` (Prometheus) of each instance;
- :mod:`bot.runtime.logs`: children's output as rotated JSON lines.
"""
