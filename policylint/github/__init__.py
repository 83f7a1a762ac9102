"""Talking to GitHub: a small REST client, pull-request patches and workflow commands.

Standard library only (urllib), so that ``policylint review`` adds no dependency.
"""
