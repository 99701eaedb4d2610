"""Deliver: rendered reports to email messages, the outbox and SMTP, with the sent-log that
keeps a message from going out twice."""
