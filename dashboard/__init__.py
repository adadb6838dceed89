"""The humanitarian indicator dashboard: figures extracted from reports, with their provenance.

The pure modules (data, filters, charts, formatting, provenance, analysis) never import
Streamlit; app.py, ui.py and views/ are the thin UI layer on top of them.
"""
