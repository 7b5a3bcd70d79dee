"""Twilio SMS and WhatsApp: signed form webhooks in, TwiML out."""
