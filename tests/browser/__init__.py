"""Browser tests: the real Home Assistant UI, driven by Playwright and Debian's chromium."""
