"""The channels the gateway serves: adding one is one line here plus its package."""

from __future__ import annotations

from fastapi import APIRouter


def routers() -> list[APIRouter]:
    from channels import api
    from channels.messenger import handler as messenger
    from channels.operator import handler as operator
    from channels.telegram import handler as telegram
    from channels.twilio import handler as twilio
    from channels.web import handler as web

    return [api.router, twilio.router, telegram.router, messenger.router, web.router, operator.router]
