"""Synthetic payment screenshots for the OCR reader's tests and benchmark.

No real screenshot may be used (they hold personal data), so each app's screen is drawn
with Pillow from invented values, and every image comes with the fields it shows.
"""
