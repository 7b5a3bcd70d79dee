"""Haven gateway: FastAPI app and one adapter per channel."""
