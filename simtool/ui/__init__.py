"""Qt windows and widgets. No clinical or scoring logic lives here: the UI calls core and shows."""
