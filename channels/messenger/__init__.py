"""Facebook Messenger: verify handshake, signed events in, Send API out, quick replies for menus."""
