"""The dashboard's charts: Plotly figures (and their tables for screen readers) built from the model's frames.

Pure: no Streamlit; imports only the model below it.
"""
