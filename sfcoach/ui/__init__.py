"""The terminal: plain line mode and the prompt-toolkit screen, driving the engine."""
