"""FAQ knowledge bases and the matcher: pure Python, no Telegram."""
