"""Haven: the Rasa assistant, its content NLG and the command line."""

import os

# Set before anything imports Rasa or TensorFlow: Rasa reports usage to a third party by default.
os.environ["RASA_TELEMETRY_ENABLED"] = "false"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
