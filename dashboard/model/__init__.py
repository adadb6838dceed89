"""The dashboard's model: the records as data frames, filters, the page table, reviews, origins, snapshots, formatting.

Pure: no Streamlit, no Plotly, nothing from the layers above (charts, exports, ui, views).
"""
