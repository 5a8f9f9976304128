"""Labelled evaluation dossiers (plan.pdf + labels.json), rendered from source.yaml by render.py."""
