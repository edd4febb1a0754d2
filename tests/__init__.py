"""Tests for the Bulutfon integration."""
