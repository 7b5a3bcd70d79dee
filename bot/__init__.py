"""Haven: the Rasa assistant, its content NLG and the command line."""

import os

# Set before anything imports Rasa or TensorFlow: Rasa reports usage to a third party by default.
os.environ["RASA_TELEMETRY_ENABLED"] = "false"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")


def _quiet_structlog() -> None:
    """Rasa logs parse results (message text) through structlog at debug level by default."""
    import logging

    import structlog

    level = logging.getLevelName(os.environ.get("HAVEN_RASA_LOG_LEVEL", "WARNING"))
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(level))


_quiet_structlog()
