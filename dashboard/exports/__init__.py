"""The dashboard's downloads and embeds: record files, briefings, chart images, embed addresses.

Pure: no Streamlit; imports the model and the charts below it.
"""
