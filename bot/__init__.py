"""Haven: the Rasa assistant, its content NLG and the command line."""

import os

# Set before anything imports Rasa or TensorFlow: Rasa reports usage to a third party by default.
os.environ["RASA_TELEMETRY_ENABLED"] = "false"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")


def _quiet_structlog() -> None:
    """Rasa logs parse results (message text) through structlog, even at WARNING (parsing
    failures): only errors are let through."""
    import logging

    import structlog

    level = logging.getLevelName(os.environ.get("HAVEN_RASA_LOG_LEVEL", "ERROR"))
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(level))


def _quiet_known_warnings() -> None:
    """Warnings that are expected by design and would bury real ones."""
    import warnings

    # Responses come from the content NLG, not from domain responses.
    warnings.filterwarnings("ignore", message=r"Action 'utter_\w+' is listed as a response action", category=UserWarning)
    warnings.filterwarnings("ignore", message=r"Slot auto-fill has been removed", category=UserWarning)
    # Old pins inside Rasa's own dependency set (matplotlib 3.5 with a newer pyparsing, TF 2.12).
    warnings.filterwarnings("ignore", module=r"matplotlib\..*")
    warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"(tensorflow|jax|keras|google|flatbuffers)\b.*")


_quiet_structlog()
_quiet_known_warnings()
