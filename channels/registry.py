"""The channels the gateway serves: adding one is one line here plus its package."""

from __future__ import annotations

from fastapi import APIRouter


def routers() -> list[APIRouter]:
    from channels import api
    from channels.twilio import handler as twilio

    return [api.router, twilio.router]
